// The R runner (shared/languages.js): a kernel per conversation, each one R session (webR) that
// only ever runs the blocks of that conversation. The host side is the SQL kernels' (sql-kernel.js:
// state and progress events, the time limit, Stop through an interrupt buffer, a worker ended if
// Stop is not honoured in time); the worker is r-worker.js, which starts the session's own
// worker, r-session.js (see r-worker.js for why two).
import { SqlKernel } from './sql-kernel.js';

const WORKER_URL = new URL('./r-worker.js', import.meta.url);
const WASM_URL = new URL('../vendor/webr/R.wasm', import.meta.url);

// R.wasm (18 MB) is compiled once here and handed to every session: each saves compiling it, and
// the sessions share its compiled code.
let compiled = null; // Promise<WebAssembly.Module | null>

function compiledWasm() {
  compiled ||= WebAssembly.compileStreaming(fetch(WASM_URL)).catch(() => null); // null: the session compiles it
  return compiled;
}

/** No runner setting shapes an R session (it never has network). */
export function configOf() {
  return {};
}

export function createKernel(config, onDeath) {
  return new SqlKernel({
    workerURL: WORKER_URL,
    label: 'R',
    initPayload: async () => ({ wasmModule: await compiledWasm() }),
    loadTimeoutMs: 120000, // R.wasm (18 MB) compiles in seconds, more on a busy machine
    stopGraceMs: 2000, // R checks for an interrupt every 1,000 evaluations; C code may not check
    words: {
      closed: "This conversation's R session was closed.",
      lost: "The code did not stop in time, so this conversation's R session was restarted: its variables are gone.",
    },
    onDeath,
  });
}
