// Ports from this page to the offscreen document's runner manager: one per run and the page's
// kernel link (kernel-link.js). They speak the run protocol (shared/protocol.js) and go straight
// to the offscreen document, so a run outlives the service worker's idle stop.
import { BACKGROUND_MESSAGE, RUN_PORT, askBackground } from '../shared/messages.js';
import { CMD, EVENT, STATUS, kindOf, request } from '../shared/protocol.js';
import { afterNextFrame, markHop } from './run-marks.js';

const ACCEPT_TIMEOUT_MS = 5000;
const ATTEMPTS = 3;
const FIRST = 1; // the id of a port's first request

/**
 * Connect first; only when nobody answers does the service worker create the offscreen document
 * (refused: it does not exist) or recreate it (silent: it hangs), then connect again. `first` (a
 * request) is posted at once, without waiting for the answer; `onMessage` gets every message
 * after the 'accepted' event. Resolves the accepted port.
 */
export async function openPort(name, first, onMessage) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const outcome = await connect(name, first, onMessage);
    if (outcome.port) return outcome.port;
    if (attempt === ATTEMPTS - 1) break;
    const reply = await askBackground(outcome.silent ? BACKGROUND_MESSAGE.recreateOffscreen : BACKGROUND_MESSAGE.ensureOffscreen);
    if (!reply || !reply.ok) throw new Error(reply && reply.error ? reply.error : 'the runner did not start');
  }
  throw new Error('The runner could not be started.');
}

// `first` may be null: the port waits, accepted, for a first request posted later (a spare).
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
      } else if (message?.event?.type === EVENT.accepted) {
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

// The next run's port, connected and accepted ahead of time (after a run, in the background), so a
// click posts its request at once instead of opening a port first. It is still one port per run:
// a spare serves one run and is replaced after it. Gone (offscreen document closed): dropped.
let spare = null; // {port, route(dispatch)} once accepted
let spareOpening = false;

function openSpare() {
  if (spare || spareOpening) return;
  spareOpening = true;
  let dispatch = () => {};
  connect(RUN_PORT, null, (message) => dispatch(message)).then(({ port }) => {
    spareOpening = false;
    if (!port) return;
    const entry = { port, route: (fn) => (dispatch = fn) };
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError;
      if (spare === entry) spare = null;
    });
    spare = entry;
  });
}

function takeSpare() {
  const entry = spare;
  spare = null;
  return entry;
}

/**
 * Start a run. `run`: {language, code, lineOffset} (nothing else is read by the runner).
 * `on`: {state(state, event), progress(text, event), output(chunks), notice(text), done(result)}
 * (a progress event may say what loads now and how far: {step, percent}).
 * Returns {stop(), input(text)}.
 */
export function startRun(run, on) {
  const control = openRunPort(request(FIRST, CMD.run, { path: location.pathname, ...run }), on);
  markHop('sent'); // openRunPort posts the request before it returns
  return control;
}

/** Free this conversation's kernel of `language` (Reset); on.done(result) when it is gone. */
export function resetKernel(language, on) {
  return openRunPort(request(FIRST, CMD.reset, { path: location.pathname, language }), on);
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
    afterNextFrame(openSpare); // the next run's port, once this one's output is on screen
  };
  const dispatch = (message) => {
    const kind = kindOf(message);
    if (kind === 'reply') {
      markHop('received');
      if (message.ok && Array.isArray(message.result?.output)) on.output?.(message.result.output);
      finish(message.ok ? message.result : { status: STATUS.error, durationMs: 0, message: message.error.message });
      return;
    }
    if (kind !== 'event') return;
    const body = message.event;
    if (body.type === EVENT.state) on.state?.(body.state, body);
    else if (body.type === EVENT.progress) on.progress?.(body.text, body);
    else if (body.type === EVENT.output) on.output?.(body.chunks);
    else if (body.type === EVENT.notice) on.notice?.(body.text);
  };
  let heard = false; // the runner answered on this port
  const open = () => openPort(RUN_PORT, first, dispatch).then(adopt, (error) =>
    finish({ status: STATUS.error, durationMs: 0, crashed: true, message: describe(error) }));
  const adopt = (accepted, fromSpare = false) => {
    if (finished) {
      accepted.disconnect();
      return;
    }
    port = accepted;
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError;
      if (port !== accepted) return;
      // A spare that went away (its offscreen document closed) before the runner took the
      // request: the request never arrived, so send it on a new port.
      if (fromSpare && !heard && !finished) {
        port = null;
        open();
        return;
      }
      finish({ status: STATUS.error, durationMs: 0, crashed: true, message: 'The runner stopped unexpectedly and will be restarted.' });
    });
    for (const queued of pending.splice(0)) port.postMessage(queued);
  };
  const ready = takeSpare();
  let posted = false;
  if (ready) {
    try {
      ready.route((message) => {
        heard = true;
        dispatch(message);
      });
      ready.port.postMessage(first);
      posted = true;
    } catch {
      /* it went away just now: open a new one */
    }
  }
  if (posted) adopt(ready.port, true);
  else open();
  const send = (message) => (port ? port.postMessage(message) : pending.push(message));
  return {
    stop: () => !finished && send(request(0, CMD.stop)),
    input: (text) => !finished && send(request(0, CMD.stdin, { text })),
  };
}

export function describe(error) {
  const text = String(error && error.message ? error.message : error);
  if (/Extension context invalidated/i.test(text)) return 'Chatrun was updated or reloaded: reload this page to run code.';
  return text;
}
