// Toolbar popup: this site's on/off switch, the last runs on this page (each linking to its page
// on the dashboard once synced), the sync status and a link to the dashboard.
import { BACKGROUND_MESSAGE, TAB_MESSAGE, askBackground as ask } from '../shared/messages.js';
import { runUrl, showDashboardLink } from '../shared/dashboard-link.js';
import { PAGE_SETTINGS_KEY, loadPageSettings } from '../shared/settings.js';
import { showQuarantine } from '../options/quarantine-list.js';

const $ = (selector) => document.querySelector(selector);

async function activePage() {
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  if (!tab) return null;
  try {
    // The page's own content script says where it is (no "tabs" permission needed).
    return await chrome.tabs.sendMessage(tab.id, { type: TAB_MESSAGE.pageInfo });
  } catch {
    return null; // not a web page, or no content script there
  }
}

const accountStatus = ask(BACKGROUND_MESSAGE.syncStatus).then((reply) => (reply && reply.ok ? reply.status : null));

function runItem(run, status) {
  const li = document.createElement('li');
  li.dataset.status = run.status;
  const first = (run.title || run.code.split('\n').find((line) => line.trim()) || '').slice(0, 40);
  const text = `${run.status} · ${Math.round(run.execution_time_ms)} ms · ${new Date(run.timestamp).toLocaleTimeString()} · ${first}`;
  const href = run.synced ? runUrl(status, run.execution_id) : null;
  if (href) {
    const link = Object.assign(document.createElement('a'), { href, target: '_blank', rel: 'noopener', textContent: text });
    link.dataset.role = 'run-link';
    li.append(link);
  } else {
    li.textContent = status && status.signedIn ? `${text} · not synced yet` : text;
  }
  return li;
}

async function showSite(page) {
  const toggle = $('[data-role="site-enabled"]');
  if (!page) {
    $('[data-role="site"]').textContent = '(not a web page)';
    toggle.disabled = true;
    return;
  }
  $('[data-role="site"]').textContent = page.site;
  toggle.checked = !(await loadPageSettings()).disabledSites.includes(page.site);
  toggle.addEventListener('change', async () => {
    const { [PAGE_SETTINGS_KEY]: current = {} } = await chrome.storage.sync.get(PAGE_SETTINGS_KEY);
    const sites = new Set(current.disabledSites || []);
    if (toggle.checked) sites.delete(page.site);
    else sites.add(page.site);
    await chrome.storage.sync.set({ [PAGE_SETTINGS_KEY]: { ...current, disabledSites: [...sites] } });
  });
  const reply = await ask(BACKGROUND_MESSAGE.pageRuns, { pageKey: page.pageKey });
  const status = await accountStatus;
  if (reply && reply.ok && reply.runs.length) $('[data-role="runs"]').replaceChildren(...reply.runs.map((run) => runItem(run, status)));
}

function showStatus(s) {
  const parts = [s.signedIn ? `Signed in as ${s.email}.` : 'Not signed in: runs stay on this device.'];
  if (s.signedIn) parts.push(s.syncEnabled ? 'Sync on.' : 'Sync off.');
  parts.push(`${s.queued} queued.`);
  if (s.quarantined) parts.push(`${s.quarantined} did not sync (below).`);
  if (s.lastSyncAt) parts.push(`Last sync ${new Date(s.lastSyncAt).toLocaleTimeString()}.`);
  $('[data-role="sync"]').textContent = parts.join(' ');
  $('[data-role="sync-error"]').textContent = s.lastError || '';
  showDashboardLink($('[data-role="dashboard"]'), s);
}

async function showSync() {
  const status = await accountStatus;
  if (status) showStatus(status);
}

activePage().then(showSite);
showSync();
showQuarantine($('[data-role="quarantine"]'), showStatus);
