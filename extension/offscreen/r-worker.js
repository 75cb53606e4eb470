// Chatrun's R host worker: one per R session (a kernel, r-kernel.js), a module worker of the
// extension that runs no user code. It holds webR's main-thread half (the `WebR` class from
// vendor/webr/webr.js), which starts the session's own worker, r-session.js (webR's worker-side
// runtime with R in it, confined before any code runs), and drives it: runs a block through the
// runner's R code (r-runtime.R), interrupts it, and turns what R writes into the panel's chunks.
//
// Why a worker of its own: webR's main-thread half also serves what R asks of it (WebSockets,
// workers, JavaScript evaluation on its thread, for R's sockets and webR's proxies). Here it does
// so inside a worker whose scope is confined first (those stand for stubs that refuse), which
// holds nothing of any other conversation, instead of in the offscreen document.
//
// Protocol (shared/protocol.js), over the private port the host's first {cmd:'connect'} hands over:
//   init   {interruptBuffer?: SharedArrayBuffer(4+), wasmModule?: WebAssembly.Module (R.wasm, compiled)}
//          events {type:'progress', text}; result {version, loadMs}
//   run    {code, lineOffset=0, maxOutput=0 (chars, 0 = no cap)}
//          events {type:'state', state:'running'} then {type:'output', chunks:[{stream, text}]}
//                 (at most every 50 ms), streams stdout stderr warn error table figure
//          result {status:'success'|'error'|'stopped', durationMs, truncated}
//   unload {}  -> {} then the worker closes itself (and the session's worker with it)
// interruptBuffer: Int32Array[0] = 1 interrupts R (webR's interrupt: the code stops at R's next
// check, the session and its variables stay); the host ends the worker if that does not come.
import { R_RUNNER_GLOBALS, confineGlobalScope, explainedStubs } from '../shared/worker-scope.js';
import { CMD, EVENT, STATE, STATUS, serveOnConnect } from '../shared/protocol.js';

const VENDOR_URL = new URL('../vendor/webr/', import.meta.url).href;
const SESSION_URL = new URL('./r-session.js', import.meta.url).href;
const RUNTIME_URL = new URL('./r-runtime.R', import.meta.url).href;
const OUTPUT_INTERVAL_MS = 50;
const INTERRUPT_POLL_MS = 20;
const STREAMS = new Set(['stdout', 'stderr', 'warn', 'error', 'table', 'figure']);
const WHOLE = new Set(['table', 'figure']); // never cut: sent whole or not at all
// R's own output and conditions go where r-runtime.R sends them, not into webR's captures.
const DIRECT = { captureStreams: false, captureConditions: false, captureGraphics: false, withHandlers: false };

// Captured before the scope is confined: only this module holds them.
const privateFetch = globalThis.fetch.bind(globalThis);
const RealWorker = globalThis.Worker;
const closeWorker = globalThis.close.bind(globalThis);
const now = () => performance.now();

const WHY = {
  network: 'R runs without network',
  channels: 'it would reach other conversations or the extension',
  storage: 'it would reach extension storage',
};

let webR = null;
let runBlock = null; // r-runtime.R's function
let ready = null;
let interrupt = null; // Int32Array over the host's interrupt buffer
let current = null; // the run in progress

// --------------------------------------------------------------------------- output

function out(stream, text) {
  const run = current;
  if (!run || !text || !STREAMS.has(stream)) return;
  if (run.max && stream !== 'error' && run.size + text.length > run.max) {
    run.truncated = true;
    if (WHOLE.has(stream) || run.size >= run.max) return;
    text = text.slice(0, run.max - run.size);
  }
  run.size += text.length;
  const last = run.chunks[run.chunks.length - 1];
  if (last && last.stream === stream && !WHOLE.has(stream)) last.text += text;
  else run.chunks.push({ stream, text });
  const wait = OUTPUT_INTERVAL_MS - (now() - run.lastPost);
  if (wait <= 0) flush(run);
  else run.timer ||= setTimeout(() => flush(run), wait);
}

function flush(run) {
  clearTimeout(run.timer);
  run.timer = null;
  if (!run.chunks.length) return;
  run.emit({ type: EVENT.output, chunks: run.chunks });
  run.chunks = [];
  run.lastPost = now();
}

// What the session's worker sends besides webR's own messages: {type:'chatrun', stream, text}.
async function pump() {
  for (;;) {
    const message = await webR.read();
    if (message?.type === 'closed') return;
    if (message?.type === 'chatrun') out(message.stream, String(message.text ?? ''));
  }
}

// --------------------------------------------------------------------------- run

const DRAIN = 'for (i in 1:2000) NULL'; // R looks for an interrupt every 1,000 evaluations

function runInR(code, lineOffset) {
  return webR.evalRString('run(code, line_offset)', { ...DIRECT, env: { run: runBlock, code, line_offset: lineOffset } });
}

async function runCode(p, emit) {
  const run = { emit, chunks: [], lastPost: 0, timer: null, size: 0, max: p.maxOutput || 0, truncated: false };
  const started = now();
  let status = STATUS.success;
  current = run;
  let interrupted = false;
  const poll = setInterval(() => {
    if (!interrupt || Atomics.exchange(interrupt, 0, 0) === 0) return;
    interrupted = true;
    webR.interrupt();
  }, INTERRUPT_POLL_MS);
  try {
    await ready;
    emit({ type: EVENT.state, state: STATE.running });
    status = await runInR(String(p.code ?? ''), Number(p.lineOffset) || 0);
    // An interrupt R had no time to see would stop the next block: let R take it now.
    if (interrupted && status !== STATUS.stopped) await runInR(DRAIN, 0);
  } catch (error) {
    // Interrupted outside the block's own handlers, or R failed: the session goes on.
    status = interrupt && /interrupt/i.test(error?.message ?? '') ? STATUS.stopped : STATUS.error;
    if (status === STATUS.error) out('error', `${error?.message ?? error}\n`);
  } finally {
    clearInterval(poll);
    flush(run);
    current = null;
  }
  return { status, durationMs: Math.round(now() - started), truncated: run.truncated };
}

// --------------------------------------------------------------------------- loading and scope

async function start(p, emit) {
  const started = now();
  if (p.interruptBuffer) interrupt = new Int32Array(p.interruptBuffer);
  emit({ type: EVENT.progress, text: 'Loading R' });
  const [{ WebR, ChannelType }, runtime] = await Promise.all([
    import(`${VENDOR_URL}webr.js`),
    privateFetch(RUNTIME_URL).then((response) => response.text()),
  ]);
  // webR starts its worker from `${baseUrl}webr-worker.js`; this host's Worker starts the
  // session's own (r-session.js, which loads webR's worker code itself), once.
  let spawned = false;
  const sessionWorker = function Worker() {
    if (spawned) throw new TypeError('Worker is not available to code run by Chatrun (R has one session).');
    spawned = true;
    const worker = new RealWorker(SESSION_URL, { type: 'module', name: 'chatrun-r-session' });
    // Before webR's first message: R.wasm as the kernel compiled it, if it could.
    if (p.wasmModule instanceof WebAssembly.Module) worker.postMessage({ type: 'chatrun-wasm', wasmModule: p.wasmModule });
    return worker;
  };
  // Confined before webR's main-thread half exists, so what it captures (WebSocket for its socket
  // proxy, Worker for its worker proxy) is already a stub, except the one session worker.
  confineGlobalScope(R_RUNNER_GLOBALS, { ...explainedStubs(R_RUNNER_GLOBALS, WHY), Worker: { value: sessionWorker } });
  webR = new WebR({
    baseUrl: VENDOR_URL,
    channelType: ChannelType.SharedArrayBuffer,
    interactive: true,
    createLazyFilesystem: false, // r-session.js writes the files R needs before R starts
    // webR's own environment (less its proxy for R's curl: there is no network) and a locale.
    REnv: { R_HOME: '/usr/lib/R', FONTCONFIG_PATH: '/etc/fonts', R_ENABLE_JIT: '0', WEBR: '1', LANG: 'en_US.UTF-8', TZ: 'UTC' },
  });
  await webR.init(); // the kernel ends a worker that does not answer within its load time limit
  pump();
  emit({ type: EVENT.progress, text: 'Starting the R session' });
  runBlock = await webR.evalR(runtime, DIRECT);
  const version = await (await webR.evalR('R.version.string')).toString();
  return { version, loadMs: Math.round(now() - started) };
}

const handlers = {
  [CMD.init](p, { emit }) {
    ready ||= start(p, emit);
    return ready;
  },
  async [CMD.run](p, { emit }) {
    if (!ready) throw new Error('R is not initialised (send init first)');
    return runCode(p, emit);
  },
  [CMD.unload]() {
    webR?.close();
    setTimeout(closeWorker, 0);
    return {};
  },
};

serveOnConnect(handlers);
