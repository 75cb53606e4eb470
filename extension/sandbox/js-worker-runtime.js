// Runtime of one JavaScript run, inside a Blob-URL worker of the sandbox page. It captures the
// console (formatted like Node), removes network and storage APIs, runs the job, tracks timers
// so the run ends when the code's work has settled, and reports errors with user line numbers.
import { format, inspect, formatTable } from './inspect.js';
import { JS_RUNNER_GLOBALS, confineGlobalScope, explainedStubs } from '../shared/worker-scope.js';
import { CMD, EVENT, STATUS, serveOnConnect } from '../shared/protocol.js';
import { clock } from '../shared/timing.js';

const USER_FILE = 'chatrun-user-code.js';
const FLUSH_MS = 30;
const FLUSH_CHARS = 64 * 1024;

// Captured before user code can replace them.
const realSetTimeout = self.setTimeout.bind(self);
const realClearTimeout = self.clearTimeout.bind(self);
const realSetInterval = self.setInterval.bind(self);
const realClearInterval = self.clearInterval.bind(self);
const indirectEval = self.eval;

let emitEvent = null; // streams an event of the run (protocol.js)
let settle = null; // resolves the run request with its result
const timing = {}; // the run's hops (shared/timing.js)
let job = null;
let maxOutput = 1_000_000;
let written = 0;
let truncated = false;
let buffer = [];
let bufferChars = 0;
let flushTimer = null;
let finished = false;
let mainSettled = false;
const pendingTimers = new Set();

// --- output ----------------------------------------------------------------------------------
function emit(stream, text) {
  if (truncated || finished) return;
  if (written + text.length > maxOutput) {
    text = text.slice(0, Math.max(0, maxOutput - written));
    truncated = true;
  }
  written += text.length;
  const last = buffer[buffer.length - 1];
  if (last && last.stream === stream) last.text += text;
  else buffer.push({ stream, text });
  bufferChars += text.length;
  if (bufferChars >= FLUSH_CHARS) flush();
  else if (!flushTimer) flushTimer = realSetTimeout(flush, FLUSH_MS);
}

function flush() {
  if (flushTimer) realClearTimeout(flushTimer);
  flushTimer = null;
  if (!buffer.length) return;
  emitEvent({ type: EVENT.output, chunks: buffer });
  buffer = [];
  bufferChars = 0;
}

function finish(status) {
  if (finished) return;
  flush();
  finished = true;
  timing['code-done'] = clock();
  settle({ status, truncated, timing });
}

// --- console ---------------------------------------------------------------------------------
let groupIndent = '';
const counts = new Map();
const timers = new Map();

function write(stream, text) {
  if (truncated) return; // a flood past the cap costs no formatting
  const indented = groupIndent ? text.replace(/^/gm, groupIndent) : text;
  emit(stream, `${indented}\n`);
}

function makeConsole() {
  const printer = (stream) => (...args) => {
    if (!truncated) write(stream, format(...args));
  };
  const c = {
    log: printer('log'),
    info: printer('info'),
    warn: printer('warn'),
    error: printer('error'),
    debug: printer('debug'),
    dir: (value, options) => write('log', inspect(value, options)),
    dirxml: printer('log'),
    table: (data, properties) =>
      write('log', data !== null && typeof data === 'object' ? formatTable(data, properties) : format(data)),
    trace: (...args) => {
      const stack = userFrames(new Error().stack).join('\n');
      write('error', `Trace${args.length ? `: ${format(...args)}` : ''}${stack ? `\n${stack}` : ''}`);
    },
    assert: (condition, ...args) => {
      if (!condition) write('error', args.length ? `Assertion failed: ${format(...args)}` : 'Assertion failed');
    },
    count: (label = 'default') => {
      const n = (counts.get(String(label)) || 0) + 1;
      counts.set(String(label), n);
      write('log', `${label}: ${n}`);
    },
    countReset: (label = 'default') => counts.delete(String(label)),
    time: (label = 'default') => timers.set(String(label), performance.now()),
    timeLog: (label = 'default', ...args) => logTime('log', label, false, args),
    timeEnd: (label = 'default') => logTime('log', label, true, []),
    group: (...args) => {
      if (args.length) write('log', format(...args));
      groupIndent += '  ';
    },
    groupEnd: () => {
      groupIndent = groupIndent.slice(2);
    },
    clear: () => {},
  };
  c.groupCollapsed = c.group;
  return c;
}

function logTime(stream, label, end, args) {
  const start = timers.get(String(label));
  if (start === undefined) {
    write('warn', `Warning: No such label '${label}' for console.time${end ? 'End' : 'Log'}()`);
    return;
  }
  if (end) timers.delete(String(label));
  const ms = performance.now() - start;
  const shown = ms < 1000 ? `${ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3)}s`;
  write(stream, `${label}: ${shown}${args.length ? ` ${format(...args)}` : ''}`);
}

// --- isolation -------------------------------------------------------------------------------
// The sandbox CSP already forbids connections (connect-src 'none'); on top of that the worker's
// global scope is cut down to an allow-list (shared/worker-scope.js), and the best-known missing
// functions explain themselves instead of a bare ReferenceError. Storage (indexedDB, caches) is
// simply absent, as in Node, so `typeof indexedDB` feature checks keep working.
const WHY = {
  network: 'code run by Chatrun has no network access',
  channels: 'code run by Chatrun cannot reach other contexts',
};

function lockDown() {
  // The formatter's functions compile on first use: once here, while the spare worker waits, not
  // on the run's path. (Its output goes nowhere.)
  format('%s %d', 'a', 1, [1, 'b'], { a: 1 });
  confineGlobalScope(JS_RUNNER_GLOBALS, explainedStubs(JS_RUNNER_GLOBALS, WHY));
  self.console = makeConsole();
}

// --- timers: the run is over when the main code settled and no timer is pending ----------------
function track(realSet, realClear, repeat) {
  const set = (callback, delay, ...args) => {
    const id = realSet(() => {
      if (!repeat) pendingTimers.delete(id);
      invoke(callback, args);
      checkSettled();
    }, delay);
    pendingTimers.add(id);
    return id;
  };
  const clear = (id) => {
    pendingTimers.delete(id);
    realClear(id);
    checkSettled();
  };
  return [set, clear];
}

function installTimers() {
  [self.setTimeout, self.clearTimeout] = track(realSetTimeout, realClearTimeout, false);
  [self.setInterval, self.clearInterval] = track(realSetInterval, realClearInterval, true);
}

function invoke(callback, args) {
  try {
    if (typeof callback === 'function') callback(...args);
    else indirectEval(String(callback));
  } catch (error) {
    uncaught(error);
  }
}

function checkSettled() {
  if (finished || !mainSettled || pendingTimers.size) return;
  // Let pending microtasks (and the rejections they report) run before deciding.
  realSetTimeout(() => {
    if (!finished && mainSettled && !pendingTimers.size) finish(STATUS.success);
  }, 0);
}

// --- errors ----------------------------------------------------------------------------------
function mapLocation(line, column) {
  const shiftedColumn = line === 1 ? column - job.firstLineShift : column;
  return `line ${line + job.lineOffset}:${Math.max(1, shiftedColumn)}`;
}

function userFrames(stack) {
  const frames = [];
  for (const line of String(stack || '').split('\n')) {
    const match = /^\s*at (?:async )?(?:(.*?) \()?[^()]*?chatrun-user-code\.js:(\d+):(\d+)\)?\s*$/.exec(line);
    if (!match) continue;
    const name = match[1] && !/^(eval|async)$/.test(match[1]) && !match[1].startsWith('eval at') ? match[1] : null;
    const where = mapLocation(Number(match[2]), Number(match[3]));
    frames.push(name ? `    at ${name} (${where})` : `    at ${where}`);
  }
  return frames;
}

function describeError(error, prefix = 'Uncaught') {
  if (error instanceof Error || (error && typeof error === 'object' && 'stack' in error && 'message' in error)) {
    const head = `${prefix} ${error.name || 'Error'}: ${error.message}`;
    return [head, ...userFrames(error.stack)].join('\n');
  }
  return `${prefix} ${inspect(error)}`;
}

function uncaught(error, prefix) {
  if (finished) return;
  emit('error', `${describeError(error, prefix)}\n`);
  finish(STATUS.error);
}

self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  uncaught(event.reason, 'Uncaught (in promise)');
});
self.addEventListener('error', (event) => {
  event.preventDefault();
  uncaught(event.error ?? event.message);
});

// --- the run ---------------------------------------------------------------------------------
async function runJob() {
  let value;
  try {
    value = indirectEval(`${job.source}\n//# sourceURL=${USER_FILE}`);
  } catch (error) {
    uncaught(error);
    return;
  }
  if (job.mode === 'async' || (job.wantsValue && value && typeof value.then === 'function')) {
    try {
      value = await value;
    } catch (error) {
      // Top-level await code throwing is an ordinary uncaught error; a returned promise rejecting is not.
      uncaught(error, job.mode === 'async' ? 'Uncaught' : 'Uncaught (in promise)');
      return;
    }
  }
  if (finished) return;
  if (job.wantsValue && value !== undefined) emit('return', inspect(value));
  mainSettled = true;
  checkSettled();
}

// The sandbox page's first message hands over a private port: user code in this worker cannot
// reach it, so it cannot forge output or completion. One run per worker.
serveOnConnect({
  [CMD.run]: ({ job: next, maxOutput: max }, { emit }) => {
    timing.worker = clock();
    if (job) throw new Error('this worker has run its job');
    job = next;
    maxOutput = max || maxOutput;
    emitEvent = emit;
    const result = new Promise((resolve) => {
      settle = resolve;
    });
    installTimers();
    timing['code-start'] = clock();
    runJob();
    return result;
  },
}, { beforeServe: lockDown });
