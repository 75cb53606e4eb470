// Sandbox page: receives jobs from the offscreen document (its parent), runs each in a fresh
// worker (a fresh global scope per run), enforces the timeout, and relays output.
// One warm worker waits, already booted, so a run starts at once.
import { prepareCode, PrepareError } from './prepare-code.js';
import WORKER_SOURCE from 'chatrun:js-worker-source';

const HEARTBEAT_MS = 500;
const workerUrl = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
const runs = new Map(); // id -> {worker, port, timer, startedAt}
let warm = null;

function toParent(message) {
  window.parent.postMessage(message, '*');
}

function spawn() {
  const worker = new Worker(workerUrl, { name: 'chatrun-js' });
  // Our protocol runs over a private channel: user code in the worker cannot reach its port,
  // so it cannot forge output or completion messages.
  const channel = new MessageChannel();
  worker.postMessage({ type: 'init' }, [channel.port2]);
  return { worker, port: channel.port1 };
}

function takeWarmWorker() {
  const slot = warm || spawn();
  warm = spawn();
  return slot;
}

function finish(id, status, extra = {}) {
  const run = runs.get(id);
  if (!run) return;
  runs.delete(id);
  clearTimeout(run.timer);
  run.worker.terminate(); // every run ends with its worker: nothing leaks into the next one
  toParent({ id, type: 'done', status, durationMs: performance.now() - run.startedAt, ...extra });
}

function startRun({ id, language, code, lineOffset, timeoutMs, maxOutput }) {
  const startedAt = performance.now();
  let job;
  try {
    job = prepareCode(String(code), language, lineOffset);
  } catch (error) {
    const text = error instanceof PrepareError ? error.message : `Could not prepare the code: ${error}`;
    toParent({ id, type: 'output', chunks: [{ stream: 'error', text: `${text}\n` }] });
    toParent({ id, type: 'done', status: 'error', durationMs: performance.now() - startedAt });
    return;
  }
  const { worker, port } = takeWarmWorker();
  const run = { worker, port, startedAt, timer: null };
  runs.set(id, run);
  port.onmessage = (event) => {
    const message = event.data || {};
    if (message.type === 'output') toParent({ id, type: 'output', chunks: message.chunks });
    else if (message.type === 'done') finish(id, message.status, { truncated: message.truncated });
  };
  worker.onerror = (event) => {
    // Errors escaping our runtime (it catches user errors itself): report, never hang.
    event.preventDefault();
    toParent({ id, type: 'output', chunks: [{ stream: 'error', text: `${event.message || 'Worker error'}\n` }] });
    finish(id, 'error');
  };
  run.timer = setTimeout(() => {
    toParent({ id, type: 'notice', text: `Stopped after the ${Math.round(timeoutMs / 1000)} s time limit.` });
    finish(id, 'timeout');
  }, timeoutMs);
  port.postMessage({ type: 'job', job, maxOutput });
}

window.addEventListener('message', (event) => {
  if (event.source !== window.parent) return; // only the offscreen document gives orders
  const message = event.data || {};
  if (message.cmd === 'run') startRun(message);
  else if (message.cmd === 'stop') finish(message.id, 'stopped');
});

warm = spawn();
setInterval(() => toParent({ type: 'heartbeat' }), HEARTBEAT_MS);
toParent({ type: 'ready' });
