// Starts a run in the offscreen document over a port of its own and relays its events.
// The port goes straight to the offscreen document, so the run outlives the service worker.
import { RUN_PORT, TARGET } from '../shared/messages.js';

const ACCEPT_TIMEOUT_MS = 5000;

async function ensureRunner(recreate = false) {
  const reply = await chrome.runtime.sendMessage({
    target: TARGET.background,
    type: recreate ? 'recreate-offscreen' : 'ensure-offscreen',
  });
  if (!reply || !reply.ok) throw new Error(reply && reply.error ? reply.error : 'the runner did not start');
}

/**
 * @param {object} request {language, code, lineOffset, timeoutMs, namespace}
 * @param {object} on {state(state), progress(text), output(chunks), notice(text), done(result)}
 * @returns {{stop(): void, input(text): void}}
 */
export function startRun(request, on) {
  let port = null;
  let finished = false;
  let accepted = false;
  const pending = [];
  const finish = (result) => {
    if (finished) return;
    finished = true;
    on.done(result);
    try {
      port?.disconnect();
    } catch {
      /* already gone */
    }
  };
  const send = (message) => (port ? port.postMessage(message) : pending.push(message));

  (async () => {
    for (let attempt = 0; attempt < 2 && !finished; attempt++) {
      try {
        await ensureRunner(attempt > 0);
      } catch (error) {
        return finish({ status: 'error', durationMs: 0, crashed: true, message: describe(error) });
      }
      if (await connect()) return;
      on.notice('The runner did not answer; restarting it…');
    }
    finish({ status: 'error', durationMs: 0, crashed: true, message: 'The runner could not be started.' });
  })();

  // Resolves true once the offscreen document accepted the run, false if it never answered.
  function connect() {
    return new Promise((resolve) => {
      port = chrome.runtime.connect({ name: RUN_PORT });
      const timer = setTimeout(() => {
        if (accepted) return;
        port.disconnect();
        port = null;
        resolve(false);
      }, ACCEPT_TIMEOUT_MS);
      port.onMessage.addListener((message) => {
        switch (message.type) {
          case 'accepted':
            accepted = true;
            clearTimeout(timer);
            resolve(true);
            for (const queued of pending.splice(0)) port.postMessage(queued);
            break;
          case 'state':
            on.state(message.state, message);
            break;
          case 'progress':
            on.progress(message.text);
            break;
          case 'output':
            on.output(message.chunks);
            break;
          case 'notice':
            on.notice(message.text);
            break;
          case 'done':
            finish(message);
            break;
          default:
            console.warn('chatrun: unknown run event', message.type);
        }
      });
      port.onDisconnect.addListener(() => {
        clearTimeout(timer);
        if (!accepted) {
          port = null;
          resolve(false);
          return;
        }
        finish({ status: 'error', durationMs: 0, crashed: true, message: 'The runner stopped unexpectedly and will be restarted.' });
      });
      port.postMessage({ type: 'run', ...request });
    });
  }

  return {
    stop: () => !finished && send({ type: 'stop' }),
    input: (text) => !finished && send({ type: 'stdin', text }),
  };
}

function describe(error) {
  const text = String(error && error.message ? error.message : error);
  if (/Extension context invalidated/i.test(text)) return 'Chatrun was updated or reloaded: reload this page to run code.';
  return text;
}

/** Start loading Python in the background (once per page), so the first run is fast. */
let preloading = null;
export function preloadPython() {
  preloading ||= ensureRunner()
    .then(() => {
      const port = chrome.runtime.connect({ name: RUN_PORT });
      port.onMessage.addListener((message) => {
        if (message.type === 'done') port.disconnect();
      });
      port.postMessage({ type: 'preload' });
    })
    .catch(() => {
      preloading = null; // try again with the next Python block
    });
  return preloading;
}
