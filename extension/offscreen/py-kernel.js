// One Python kernel: a Pyodide worker (through PyClient) that only ever runs the code of one
// conversation, like a notebook's kernel. On top of PyClient it gives each run what the panel
// needs: state and progress events, the running-time limit (which starts when the code starts and
// pauses while it waits for input) and Stop. A kernel that was killed is dead for good: the pool
// gives the conversation a new one.
import { PyClient } from './py-client.js';
import { MAX_OUTPUT_CHARS } from './js-runner-host.js';
import { EVENT, STATE, STATUS } from '../shared/protocol.js';

const CLOCK_TICK_MS = 100;
const NAMESPACE = '__main__'; // one conversation per worker: one namespace

// The memory snapshot of a freshly loaded interpreter: the session's first kernel loads the
// ordinary way (its first run is not kept waiting); the first kernel asked for after that one
// has loaded has a worker of its own (no code ever runs there) make the snapshot, and it and every
// later kernel start from it in a fraction of a cold load's time (docs/pyodide.md). Made when a
// new kernel is wanted anyway, it never competes with a run for the CPU by itself. It holds no
// one's state.
let loadedOnce = false;
let snapshot = null; // Promise of the snapshot (a Uint8Array, or null when none could be made)
let snapshotReady = false;
let snapshotBytes = 0;
let lastStart = null; // the last kernel's start, ms by step (py-worker.js load), for the bench
// Bundled top-level modules this session's conversations imported: a spare imports them ahead of
// its conversation (a first figure then takes a fraction of a second, not seconds). Module
// names only, from the workers' own import scan; nothing of a conversation's state.
const usedModules = new Set();

/** What the options page (and the tests) may know of the runtime: is a snapshot there. */
export function runtimeStatus() {
  return { snapshot: snapshotReady ? 'ready' : snapshot ? 'making' : 'none', snapshotBytes, lastStart };
}

// The interpreter's WebAssembly, compiled once for the session and handed to every kernel's
// worker (and the snapshot's): a new kernel instantiates it instead of compiling 10 MB again, and
// the kernels share its machine code. Null when it cannot be compiled here (then each compiles).
let compiled = null;

function compiledInterpreter() {
  compiled ||= WebAssembly.compileStreaming(fetch(new URL('../vendor/pyodide/pyodide.asm.wasm', import.meta.url)))
    .catch(() => null);
  return compiled;
}

async function snapshotForNewKernel() {
  if (!loadedOnce) return null;
  const wasmModule = await compiledInterpreter();
  snapshot ||= PyClient.makeSnapshot({ wasmModule }).then((made) => {
    snapshotReady = Boolean(made);
    snapshotBytes = made?.byteLength ?? 0;
    return made;
  });
  return snapshot;
}

export class PyKernel {
  /** @param {{allowNetwork: boolean, packageIndex: string|null, onDeath: (reason) => void}} options */
  constructor({ allowNetwork = false, packageIndex = null, onDeath = () => {} } = {}) {
    this.config = { allowNetwork: Boolean(allowNetwork), packageIndex: packageIndex || null };
    this.dead = null; // why it died, once it has
    this.onDeath = onDeath; // the pool replaces it when a conversation takes the kernel
    this.progressListeners = new Set();
    this.fromSnapshot = false;
    this.client = new PyClient({
      allowNetwork: this.config.allowNetwork,
      initOptions: { packageIndexURL: this.config.packageIndex },
      prepare: async () => {
        const [made, wasmModule] = await Promise.all([snapshotForNewKernel(), compiledInterpreter()]);
        this.fromSnapshot = Boolean(made);
        return { ...(made ? { snapshot: made } : {}), ...(wasmModule ? { wasmModule } : {}) };
      },
      onLoad: (result) => {
        loadedOnce = true;
        lastStart = { ...result?.steps, total: result?.loadMs, fromSnapshot: this.fromSnapshot };
      },
      onProgress: (text, event) => this.progressListeners.forEach((listener) => listener(event ?? { text })),
      onRestart: (reason) => {
        if (this.dead) return;
        this.dead = reason;
        this.onDeath(reason);
      },
    });
  }

  /** Whether it was started with these runner settings. */
  matches({ allowNetwork, packageIndex }) {
    return this.config.allowNetwork === Boolean(allowNetwork) && this.config.packageIndex === (packageIndex || null);
  }

  /** A spare's imports ahead of its conversation: null (none) | 'importing' | 'done' | 'gave-way'. */
  get imports() {
    return this.client.imports ?? null;
  }

  get loaded() {
    return this.client.state === 'ready' || this.client.state === 'running' || this.client.state === 'awaiting-input';
  }

  /** Load the interpreter now (a warm spare). */
  load() {
    return this.client.load({ preimport: [...usedModules] });
  }

  /**
   * Run one block. `emit` gets {type:'state'|'progress'|'output'|'notice'} events; the returned
   * promise resolves with the final {status, durationMs, truncated, message?}.
   */
  run({ code, lineOffset = 0, timeoutMs = 30000 }, emit, control) {
    const client = this.client;
    let runningMs = 0;
    let runningSince = null;
    let timedOut = false;

    const onProgress = (event) => emit({ type: EVENT.progress, ...event });
    this.progressListeners.add(onProgress);
    // The panel shows 'running' from the click on: only a change from that is sent (each message
    // to the page costs a task there), so a warm run sends its output and its result, nothing else.
    let shown = STATE.running;
    if (client.state !== 'ready') {
      shown = STATE.loading;
      emit({ type: EVENT.state, state: STATE.loading });
    }
    // Time spent waiting for the interpreter, shown apart from the code's own time (loadMs).
    const requested = performance.now();
    let interpreterMs = 0;
    if (!this.loaded) client.load({ warmUp: false }).then(() => (interpreterMs = performance.now() - requested), () => {});

    const clock = setInterval(() => {
      const total = runningMs + (runningSince === null ? 0 : performance.now() - runningSince);
      if (!timedOut && !control.stopped && total > timeoutMs) {
        timedOut = true;
        emit({ type: EVENT.notice, text: `Stopped after the ${Math.round(timeoutMs / 1000)} s time limit.` });
        client.stop();
      }
    }, CLOCK_TICK_MS);

    // The worker's events go on unchanged; its state changes also drive the running-time clock.
    const onEvent = (event) => {
      if (event.type === EVENT.state && event.state === STATE.running) {
        runningSince = performance.now();
        if (shown === STATE.running) return;
        emit({ type: EVENT.notice, text: '' }); // loading is over
      } else if (event.type === EVENT.state && event.state === STATE.awaitingInput) {
        if (runningSince !== null) runningMs += performance.now() - runningSince;
        runningSince = null; // waiting for the user does not count as running time
      }
      if (event.type === EVENT.state) shown = event.state;
      emit(event);
    };

    control.onStop = () => client.stop();
    control.onInput = (text) => {
      client.sendInput(text);
      if (runningSince === null) runningSince = performance.now();
      shown = STATE.running;
      emit({ type: EVENT.state, state: STATE.running });
    };

    return client
      .run(code, { namespace: NAMESPACE, lineOffset, maxOutput: MAX_OUTPUT_CHARS }, onEvent)
      .then((result) => {
        clearInterval(clock);
        this.progressListeners.delete(onProgress);
        // Over: a late Stop (the page closing its port) must not reach the kernel's next run.
        control.onStop = null;
        control.onInput = null;
        let status = result.status;
        if (timedOut) status = STATUS.timeout;
        else if (control.stopped && status !== STATUS.error) status = STATUS.stopped;
        const message = result.killed
          ? "The code did not stop in time, so this conversation's Python was restarted: its variables are gone."
          : undefined;
        for (const name of result.imported || []) if (typeof name === 'string') usedModules.add(name);
        const loadMs = Math.round(interpreterMs + (result.loadMs || 0));
        return { status, durationMs: result.durationMs, loadMs, truncated: Boolean(result.truncated), message, timing: result.timing };
      });
  }

  /** Free the worker (its memory) now. */
  dispose(reason = 'freed') {
    this.dead ||= reason;
    this.client.terminate(reason);
  }
}

// The runner module's interface (shared/languages.js `runner`): a kernel per conversation, started
// with the runner settings that shape what its code may do.
export function configOf(settings) {
  return { allowNetwork: Boolean(settings.userCodeNetwork), packageIndex: settings.pythonPackageIndex || null };
}

export function createKernel(config, onDeath) {
  return new PyKernel({ ...config, onDeath });
}
