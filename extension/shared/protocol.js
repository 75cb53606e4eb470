// The one message vocabulary of runs, spoken on every hop from the panel to a runner's worker
// (after Pyodide's web-worker pattern: a thin envelope, errors as data):
//
//   request  {id, cmd, payload}
//   reply    {id, ok: true, result} | {id, ok: false, error: {code, message}}
//   event    {id, event: {type, ...}}
//
// A run is a request whose reply is its final result ({status, durationMs, truncated, message?,
// loadMs?, output?}: durationMs is the code's running time, loadMs the time spent loading before
// it, output the run's last output chunks when they came just before the result: the offscreen
// document sends them in the reply so the page shows both at once); on the way it streams events. A hop that only forwards passes the event object on unchanged.
import { checkedTiming } from './timing.js';

export const CMD = Object.freeze({
  connect: 'connect', // the first message to a worker or sandbox: hands over a private MessagePort
  init: 'init', // load a runtime (a kernel's interpreter)
  run: 'run', // run code: payload {language, code, lineOffset, ...}
  stop: 'stop', // stop the run in progress
  stdin: 'stdin', // payload {text}: a line for input() (null: end of input)
  reset: 'reset', // forget a conversation's state (its kernel)
  unload: 'unload', // free the runtime
  snapshot: 'snapshot', // load a fresh runtime and answer with its memory snapshot (no code runs)
  preimport: 'preimport', // payload {modules}: a spare imports bundled modules ahead of its first run
});

export const EVENT = Object.freeze({
  accepted: 'accepted', // the runner took the request (a port's first answer)
  state: 'state', // {state, prompt?}: STATE below
  // {text, step?, percent?}: what a loading runtime is doing; optionally what it loads now
  // (`step`: "Python runtime", a package's name) and how far that loading is (0-100)
  progress: 'progress',
  output: 'output', // {chunks: [{stream, text}]}
  notice: 'notice', // {text}: the runner's own words (truncated, time limit, ...), never output
  heartbeat: 'heartbeat', // the sandbox is alive
  // An HTML preview's document (preview/console-capture.js, which cannot import this module,
  // writes these two by name): its height, and that it has loaded.
  size: 'size', // {height}
  loaded: 'loaded',
});

// Busy states of a run, as data-state shows them; final states are the result's status.
export const STATE = Object.freeze({
  loading: 'loading',
  running: 'running',
  awaitingInput: 'awaiting-input',
});

// Final statuses of a run, as shown in data-state and sent to the companion API.
export const STATUS = Object.freeze({
  success: 'success',
  error: 'error',
  timeout: 'timeout',
  stopped: 'stopped',
});

export const request = (id, cmd, payload = {}) => ({ id, cmd, payload });
export const reply = (id, result = {}) => ({ id, ok: true, result });
export const failure = (id, error, code = 'failed') => ({
  id, ok: false, error: { code: error?.code || code, message: String(error?.message ?? error) },
});
export const event = (id, body) => ({ id, event: body });

const EVENT_TYPES = new Set(Object.values(EVENT));
const STATES = new Set(Object.values(STATE));
const STATUSES = new Set(Object.values(STATUS));

/**
 * An event from a runner, as the panel may see it: the same object when it is well formed, or
 * null. Code in a worker can forge what its worker sends, so every hop that hands events to a
 * more trusted one checks them.
 */
export function checkedEvent(body) {
  if (!body || typeof body !== 'object' || !EVENT_TYPES.has(body.type)) return null;
  if (body.type === EVENT.state && !STATES.has(body.state)) return null;
  if (body.type === EVENT.output && !Array.isArray(body.chunks)) return null;
  return body;
}

/** A run's result with a known status and plain fields. */
export function checkedResult(result) {
  const r = result && typeof result === 'object' ? result : {};
  const timing = checkedTiming(r.timing);
  return {
    status: STATUSES.has(r.status) ? r.status : STATUS.error,
    durationMs: Number.isFinite(r.durationMs) ? Math.max(0, r.durationMs) : 0,
    truncated: Boolean(r.truncated),
    ...(Number.isFinite(r.loadMs) && r.loadMs > 0 ? { loadMs: r.loadMs } : {}),
    ...(typeof r.message === 'string' && r.message ? { message: r.message } : {}),
    ...(timing ? { timing } : {}),
    ...(Array.isArray(r.output) && r.output.length ? { output: r.output } : {}),
  };
}

/** What kind of envelope `message` is: 'request' | 'reply' | 'event' | null. */
export function kindOf(message) {
  if (!message || typeof message !== 'object') return null;
  if (typeof message.cmd === 'string') return 'request';
  if (message.event && typeof message.event === 'object' && typeof message.event.type === 'string') return 'event';
  if (typeof message.ok === 'boolean') return 'reply';
  return null;
}

/**
 * The client end of a MessagePort that speaks this protocol: call(cmd, payload, onEvent) resolves
 * with the reply's result (rejects with its error); events with the call's id go to onEvent.
 * Used by every runner host (the sandbox page for its workers, the offscreen document for the
 * sandbox and for each kernel's worker).
 */
export class WorkerClient {
  constructor(port, { onStray = () => {} } = {}) {
    this.port = port;
    this.calls = new Map(); // id -> {resolve, reject, onEvent}
    this.nextId = 1;
    this.onStray = onStray; // messages no call waits for (e.g. heartbeats)
    port.onmessage = (e) => this.receive(e.data);
  }

  /** The promise carries the request's `id` (to name it in a later stop). */
  call(cmd, payload = {}, onEvent = () => {}) {
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject, onEvent });
      this.port.postMessage(request(id, cmd, payload));
    });
    promise.id = id;
    return promise;
  }

  /** Send a request that gets no reply of its own (stop, stdin: they act on a running call). */
  send(cmd, payload = {}) {
    this.port.postMessage(request(0, cmd, payload));
  }

  receive(message) {
    const call = this.calls.get(message?.id);
    const kind = kindOf(message);
    if (!call || (kind !== 'event' && kind !== 'reply')) {
      this.onStray(message);
      return;
    }
    if (kind === 'event') {
      call.onEvent(message.event);
      return;
    }
    this.calls.delete(message.id);
    if (message.ok) call.resolve(message.result);
    else call.reject(Object.assign(new Error(message.error?.message || 'failed'), { code: message.error?.code }));
  }

  /** Fail every pending call (the worker is gone) and close the port. */
  close(reason = 'closed') {
    for (const call of this.calls.values()) call.reject(Object.assign(new Error(reason), { code: 'closed' }));
    this.calls.clear();
    this.port.onmessage = null;
    this.port.close();
  }
}

/**
 * The worker end: `handlers[cmd](payload, {id, emit})` answers a request (its return value, or
 * what its promise resolves to, is the reply; a throw is the failure); `emit(body)` streams an
 * event for that request.
 */
export function serve(port, handlers) {
  // Bound now, before any user code runs in this realm: a later patch of
  // MessagePort.prototype.postMessage cannot intercept or forge what this end sends.
  const post = port.postMessage.bind(port);
  port.onmessage = async (e) => {
    const message = e.data;
    if (kindOf(message) !== 'request') return;
    const { id, cmd, payload } = message;
    const handler = handlers[cmd];
    const emit = (body) => post(event(id, body));
    try {
      if (!handler) throw Object.assign(new Error(`unknown command ${cmd}`), { code: 'unknown-command' });
      const result = await handler(payload ?? {}, { id, emit });
      if (id) post(reply(id, result));
    } catch (error) {
      if (id) post(failure(id, error));
    }
  };
}

/**
 * A worker's start: wait for the host's `connect` message, which hands over the private port,
 * then `serve` the handlers on it (`beforeServe()` runs first: a worker that confines its scope
 * does it there, once its own code holds what it needs). The worker's own postMessage/onmessage
 * can then be removed with the rest of its scope.
 */
export function serveOnConnect(handlers, { beforeServe = () => {} } = {}) {
  globalThis.addEventListener('message', function onConnect(e) {
    if (e.data?.cmd !== CMD.connect || !e.ports?.[0]) return;
    globalThis.removeEventListener('message', onConnect);
    beforeServe();
    serve(e.ports[0], handlers);
  });
}
