// Sandbox page: receives jobs from the offscreen document (its parent) over a private port, runs
// each in a fresh worker (a fresh global scope per run), enforces the time limit, and forwards
// the worker's events unchanged. One warm worker waits, already booted, so a run starts at once.
import { prepareCode, PrepareError } from './prepare-code.js';
import { CMD, EVENT, STATUS, WorkerClient, serve } from '../shared/protocol.js';
import { clock } from '../shared/timing.js';
import WORKER_SOURCE from 'chatrun:js-worker-source';

const HEARTBEAT_MS = 500;
const workerUrl = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
const runs = new Map(); // run id (the offscreen document's request id) -> {worker, finish}
let warm = null;

function spawn() {
  const worker = new Worker(workerUrl, { name: 'chatrun-js' });
  // The protocol runs over a private channel: user code in the worker cannot reach its port.
  const channel = new MessageChannel();
  worker.postMessage({ cmd: CMD.connect }, [channel.port2]);
  return { worker, client: new WorkerClient(channel.port1) };
}

// The next spare starts once the run it replaces is on its way (starting a worker costs the
// sandbox's thread and a core: not while the run is handed over).
function takeWarmWorker() {
  const slot = warm || spawn();
  warm = null;
  return slot;
}

function spawnSpare() {
  warm ||= spawn();
}

function run({ language, code, lineOffset, timeoutMs, maxOutput }, { id, emit }) {
  const received = clock();
  const startedAt = performance.now();
  const elapsed = () => performance.now() - startedAt;
  let job;
  try {
    job = prepareCode(String(code), language, lineOffset);
  } catch (error) {
    const text = error instanceof PrepareError ? error.message : `Could not prepare the code: ${error}`;
    emit({ type: EVENT.output, chunks: [{ stream: 'error', text: `${text}\n` }] });
    return { status: STATUS.error, durationMs: elapsed() };
  }
  const prepared = clock();
  const { worker, client } = takeWarmWorker();
  return new Promise((resolve) => {
    let timer = null;
    const finish = (status, extra = {}) => {
      if (!runs.has(id)) return;
      runs.delete(id);
      clearTimeout(timer);
      resolve({ status, durationMs: elapsed(), ...extra });
      // Every run ends with its worker, so nothing leaks into the next one; terminated once the
      // result is on its way (terminating takes a few milliseconds).
      setTimeout(() => {
        worker.terminate();
        client.close();
        spawnSpare();
      }, 0);
    };
    runs.set(id, { finish });
    worker.onerror = (event) => {
      // Errors escaping our runtime (it catches user errors itself): report, never hang.
      event.preventDefault();
      emit({ type: EVENT.output, chunks: [{ stream: 'error', text: `${event.message || 'Worker error'}\n` }] });
      finish(STATUS.error);
    };
    timer = setTimeout(() => {
      emit({ type: EVENT.notice, text: `Stopped after the ${Math.round(timeoutMs / 1000)} s time limit.` });
      finish(STATUS.timeout);
    }, timeoutMs);
    client.call(CMD.run, { job, maxOutput }, emit).then(
      (result) => finish(result.status, { truncated: result.truncated, timing: { ...result.timing, sandbox: received, prepared } }),
      () => finish(STATUS.error),
    );
  });
}

// The offscreen document hands over its port once; only it gives orders.
window.addEventListener('message', function onConnect(event) {
  if (event.source !== window.parent || event.data?.cmd !== CMD.connect || !event.ports[0]) return;
  window.removeEventListener('message', onConnect);
  const port = event.ports[0];
  serve(port, {
    [CMD.run]: run,
    [CMD.stop]: ({ run: id }) => runs.get(id)?.finish(STATUS.stopped),
  });
  setInterval(() => port.postMessage({ id: 0, event: { type: EVENT.heartbeat } }), HEARTBEAT_MS);
});

warm = spawn();
