// The runs that did not sync (the quarantine), as the options page and the popup show them: how
// many, and for each a short description, the server's reason, and Retry / Discard buttons.
// Everything is built as text from the service worker's data; only real clicks act.
import { BACKGROUND_MESSAGE, QUARANTINE_CHANGED, askBackground as ask } from '../shared/messages.js';

function describe(run) {
  const what = (run.title || run.first_line || '(empty)').trim().slice(0, 60);
  const when = run.timestamp ? new Date(run.timestamp).toLocaleString() : '';
  return [run.language, when, run.site, what].filter(Boolean).join(' · ');
}

function button(action, text, label, onClick) {
  const element = Object.assign(document.createElement('button'), { type: 'button', textContent: text });
  element.dataset.action = action;
  element.setAttribute('aria-label', label);
  element.addEventListener('click', (event) => {
    if (!event.isTrusted) return; // a script's synthetic click never retries or discards a run
    element.disabled = true;
    onClick();
  });
  return element;
}

/**
 * Fill `section` (which holds `[data-role="quarantine-count"]` and `[data-role="quarantine-list"]`)
 * and keep it current. `onChange(status)` gets the sync status after a Retry or Discard.
 */
export function showQuarantine(section, onChange = () => {}) {
  const list = section.querySelector('[data-role="quarantine-list"]');
  const act = async (type, executionId) => {
    const reply = await ask(type, { executionId });
    render(reply?.runs || []);
    if (reply?.status) onChange(reply.status);
  };
  function render(runs) {
    section.hidden = !runs.length;
    section.querySelector('[data-role="quarantine-count"]').textContent = String(runs.length);
    list.replaceChildren(...runs.map((run) => {
      const item = document.createElement('li');
      item.dataset.executionId = run.execution_id;
      const what = describe(run);
      const description = Object.assign(document.createElement('span'), { textContent: what });
      description.dataset.role = 'description';
      const reason = Object.assign(document.createElement('span'), { textContent: run.problem?.reason || 'Not synced.' });
      reason.dataset.role = 'reason';
      reason.dataset.code = run.problem?.code || '';
      item.append(
        description,
        reason,
        button('retry-run', 'Retry', `Retry syncing: ${what}`, () => act(BACKGROUND_MESSAGE.retryRun, run.execution_id)),
        button('discard-run', 'Discard', `Discard (never sync): ${what}`, () => act(BACKGROUND_MESSAGE.discardRun, run.execution_id)),
      );
      return item;
    }));
  }
  const refresh = async () => {
    const reply = await ask(BACKGROUND_MESSAGE.quarantine);
    if (reply?.ok) render(reply.runs);
  };
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes[QUARANTINE_CHANGED]) refresh();
  });
  return refresh();
}
