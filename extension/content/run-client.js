// Ports from this page to the offscreen document's runner manager: one per run (run, stop, stdin,
// then streamed events) and the page's kernel link (kernel-link.js). They go straight to the
// offscreen document, so a run outlives the service worker's idle stop.
import { RUN_PORT, TARGET } from '../shared/messages.js';

const ACCEPT_TIMEOUT_MS = 5000;
const ATTEMPTS = 3;

/**
 * Connect first; only when nobody answers does the service worker create the offscreen document
 * (refused: it does not exist) or recreate it (silent: it hangs), then connect again. `first` is
 * posted at once (no wait for the answer); `onMessage` gets every message after 'accepted'.
 * Resolves the accepted port.
 */
export async function openPort(name, first, onMessage) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const outcome = await connect(name, first, onMessage);
    if (outcome.port) return outcome.port;
    if (attempt === ATTEMPTS - 1) break;
    const reply = await chrome.runtime.sendMessage({
      target: TARGET.background,
      type: outcome.silent ? 'recreate-offscreen' : 'ensure-offscreen',
    });
    if (!reply || !reply.ok) throw new Error(reply && reply.error ? reply.error : 'the runner did not start');
  }
  throw new Error('The runner could not be started.');
}

function connect(name, first, onMessage) {
  return new Promise((resolve) => {
    const port = chrome.runtime.connect({ name });
    let accepted = false;
    const timer = setTimeout(() => {
      port.disconnect();
      resolve({ silent: true });
    }, ACCEPT_TIMEOUT_MS);
    port.onMessage.addListener((message) => {
      if (accepted) {
        onMessage(message);
      } else if (message?.type === 'accepted') {
        accepted = true;
        clearTimeout(timer);
        resolve({ port });
      }
    });
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError; // "Receiving end does not exist": no offscreen document yet
      if (accepted) return;
      clearTimeout(timer);
      resolve({ refused: true });
    });
    if (first) port.postMessage(first);
  });
}

/**
 * Start a run. `request`: {language, code, lineOffset} (nothing else is read by the runner).
 * `on`: {state(state, message), progress(text), output(chunks), notice(text), done(result)}.
 * Returns {stop(), input(text)}.
 */
export function startRun(request, on) {
  return openRunPort({ type: 'run', path: location.pathname, ...request }, on);
}

/** Free this conversation's kernel of `language` (Reset); on.done({existed}) when it is gone. */
export function resetKernel(language, on) {
  return openRunPort({ type: 'reset', path: location.pathname, language }, on);
}

function openRunPort(first, on) {
  let port = null;
  let finished = false;
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
  const dispatch = (message) => {
    switch (message.type) {
      case 'state':
        on.state?.(message.state, message);
        break;
      case 'progress':
        on.progress?.(message.text);
        break;
      case 'output':
        on.output?.(message.chunks);
        break;
      case 'notice':
        on.notice?.(message.text);
        break;
      case 'done':
        finish(message);
        break;
      default:
        console.warn('chatrun: unknown run event', message.type);
    }
  };
  openPort(RUN_PORT, first, dispatch).then(
    (accepted) => {
      if (finished) {
        accepted.disconnect();
        return;
      }
      port = accepted;
      port.onDisconnect.addListener(() =>
        finish({ status: 'error', durationMs: 0, crashed: true, message: 'The runner stopped unexpectedly and will be restarted.' }),
      );
      for (const queued of pending.splice(0)) port.postMessage(queued);
    },
    (error) => finish({ status: 'error', durationMs: 0, crashed: true, message: describe(error) }),
  );
  const send = (message) => (port ? port.postMessage(message) : pending.push(message));
  return {
    stop: () => !finished && send({ type: 'stop' }),
    input: (text) => !finished && send({ type: 'stdin', text }),
  };
}

export function describe(error) {
  const text = String(error && error.message ? error.message : error);
  if (/Extension context invalidated/i.test(text)) return 'Chatrun was updated or reloaded: reload this page to run code.';
  return text;
}
