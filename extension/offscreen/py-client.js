// Host side of Chatrun's Python worker (py-worker.js): owns the worker and its shared memory.
//
//   const py = new PyClient({ indexURL, allowNetwork, loadTimeoutMs, onProgress, onRestart });
//   (onProgress(text, event): event is the worker's whole progress event, with step and percent)
//   await py.load();                         // optional (preload); run() loads on demand
//   const { status } = await py.run(code, { namespace, lineOffset, maxOutput }, onEvent);
//   py.sendInput('Bob');  py.sendInput(null) // EOF
//   await py.stop();                         // KeyboardInterrupt; kill + respawn after graceMs
//   await py.reset(namespace);  py.kill();  await py.unload();  py.terminate();
//
// onEvent receives the worker's events for that run ({type: 'progress' | 'state' | 'output'},
// shared/protocol.js). A run is resolved with the worker's result, or, when the worker had to be
// killed, {status:'stopped', killed:true, ...}. Runs are sent one at a time.
import { CMD, EVENT, STATE, STATUS, WorkerClient } from '../shared/protocol.js';

const STDIN_BYTES = 64 * 1024;
const STDIN_HEADER_BYTES = 8;

export class PyClient {
  constructor({
    workerURL = new URL('./py-worker.js', import.meta.url),
    indexURL = new URL('../vendor/pyodide/', import.meta.url).href,
    allowNetwork = false,
    loadTimeoutMs = 60000,
    stopGraceMs = 2000,
    onProgress = () => {},
    onRestart = () => {},
    onLoad = () => {}, // gets init's result once the interpreter is ready
    initOptions = {}, // more init payload fields (runtimeURL, fontlistURL)
    prepare = () => ({}), // more init fields decided at load time (may be a promise: a snapshot)
  } = {}) {
    Object.assign(this, {
      workerURL, indexURL, allowNetwork, loadTimeoutMs, stopGraceMs, onProgress, onRestart, onLoad, initOptions, prepare,
    });
    this.generation = 0; // +1 for every worker started; namespaces live as long as one generation
    this.worker = null;
    this.ready = null;
    this.client = null; // WorkerClient over the worker's private port
    this.queue = []; // runs waiting for their turn
    this.active = null; // {id, resolve, onEvent, started, awaitingInput}
  }

  /** 'idle' | 'loading' | 'ready' | 'running' | 'awaiting-input' */
  get state() {
    if (this.active) return this.active.awaitingInput ? 'awaiting-input' : 'running';
    if (!this.ready) return 'idle';
    return this.loaded ? 'ready' : 'loading';
  }

  /**
   * Start the worker and load Pyodide (once; shared promise: the first call's options count).
   * `warmUp`: take a run's paths once (a spare; a run waiting for the load takes them itself);
   * `preimport`: bundled modules to import ahead of the first run, once loaded, unless a run is
   * waiting by then (`imports` says how far that is: null | 'importing' | 'done' | 'gave-way').
   */
  load({ warmUp = true, preimport = [] } = {}) {
    if (this.ready) return this.ready;
    this.#spawn();
    this.loaded = false;
    this.imports = null;
    const client = this.client;
    const init = Promise.resolve(this.prepare()).then((prepared) => client.call(CMD.init, {
      ...this.initOptions,
      ...prepared,
      warmUp,
      indexURL: this.indexURL,
      allowNetwork: this.allowNetwork,
      loadTimeoutMs: this.loadTimeoutMs,
      interruptBuffer: this.interruptSab,
      stdinBuffer: this.stdinSab,
    }, (event) => event.type === EVENT.progress && this.onProgress(event.text, event)));
    // The worker has its own load timeout; this one catches a worker that never answers at all.
    let timer;
    const ready = Promise.race([init, new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('The Python worker did not answer.')), this.loadTimeoutMs + 5000);
    })]).finally(() => clearTimeout(timer));
    const guarded = ready.then(
      (result) => {
        if (this.ready === guarded) this.loaded = true;
        this.onLoad(result);
        if (preimport.length && this.ready === guarded && !this.active && !this.queue.length) {
          this.imports = 'importing';
          client.call(CMD.preimport, { modules: preimport }).then(
            ({ done }) => (this.imports = done ? 'done' : 'gave-way'),
            () => (this.imports = null),
          );
        }
        return result;
      },
      (error) => {
        // Loading failed or timed out (a hung loadPyodide never settles): drop this worker.
        if (this.ready === guarded) {
          const worker = this.worker;
          this.worker = null;
          this.ready = null;
          worker?.terminate();
          this.client?.close('Python did not load');
          this.client = null;
        }
        throw error;
      },
    );
    this.ready = guarded;
    return guarded;
  }

  /** Run code; resolves with {status, durationMs, truncated, ...} when it is done. */
  run(code, { namespace = 'default', lineOffset = 0, maxOutput = 0 } = {}, onEvent = () => {}) {
    return new Promise((resolve) => {
      this.queue.push({ payload: { code, namespace, lineOffset, maxOutput }, resolve, onEvent });
      this.#next();
    });
  }

  /**
   * Stop the running code: KeyboardInterrupt, and if the run is not over within graceMs (a C call
   * that ignores interrupts), kill the worker (Python state is lost; onRestart is called).
   * Queued runs are not touched. Resolves 'idle' | 'interrupted' | 'killed'.
   */
  async stop({ graceMs = this.stopGraceMs } = {}) {
    const run = this.active;
    if (!run) return 'idle';
    if (!run.sent) {
      // Still waiting for the interpreter to load: the code never runs.
      run.cancelled = true;
      this.active = null;
      run.resolve({ status: STATUS.stopped, durationMs: Math.round(performance.now() - run.started), truncated: false });
      run.markFinished();
      this.#next();
      return 'interrupted';
    }
    Atomics.store(this.interrupt, 0, 2);
    const finished = await Promise.race([
      run.finished.then(() => true),
      new Promise((r) => setTimeout(() => r(false), graceMs)),
    ]);
    if (finished) return 'interrupted';
    if (this.active === run) this.kill('stop-timeout');
    return 'killed';
  }

  /** Answer the pending input() with a line (no newline), or null for EOF. */
  sendInput(text) {
    if (!this.stdinSab) return false;
    if (text === null || text === undefined) {
      Atomics.store(this.stdinCtl, 1, -1);
    } else {
      const bytes = new TextEncoder().encode(String(text));
      const n = Math.min(bytes.length, this.stdinData.length);
      this.stdinData.set(bytes.subarray(0, n));
      Atomics.store(this.stdinCtl, 1, n);
    }
    Atomics.store(this.stdinCtl, 0, 1);
    Atomics.notify(this.stdinCtl, 0);
    if (this.active) this.active.awaitingInput = false;
    return true;
  }

  /**
   * A memory snapshot of a freshly loaded interpreter, made in a worker of its own that runs no
   * code and closes after (a Uint8Array, or null when the runtime cannot make one).
   */
  static async makeSnapshot({ workerURL = new URL('./py-worker.js', import.meta.url), indexURL, wasmModule = null } = {}) {
    const worker = new Worker(workerURL, { type: 'module', name: 'chatrun-python-snapshot' });
    const channel = new MessageChannel();
    worker.postMessage({ cmd: CMD.connect }, [channel.port2]);
    const client = new WorkerClient(channel.port1);
    try {
      const { snapshot } = await client.call(CMD.snapshot, {
        indexURL: indexURL ?? new URL('../vendor/pyodide/', import.meta.url).href, ...(wasmModule ? { wasmModule } : {}),
      });
      return snapshot;
    } catch {
      return null;
    } finally {
      client.close();
      worker.terminate();
    }
  }

  /** Forget one namespace's variables. */
  async reset(namespace = 'default') {
    if (!this.ready) return { existed: false };
    await this.ready;
    return this.client.call(CMD.reset, { namespace });
  }

  /** Free the interpreter: the worker exits; the next load()/run() starts a new one. */
  async unload() {
    if (!this.worker) return;
    const worker = this.worker;
    try {
      await Promise.race([this.client.call(CMD.unload), new Promise((r) => setTimeout(r, 1000))]);
    } catch {
      /* closing anyway */
    }
    if (this.worker === worker) this.#drop('unloaded');
  }

  /** Terminate the worker now, without a restart announcement (the owner is done with it). */
  terminate(reason = 'terminated') {
    if (this.worker) this.#drop(reason);
    this.queue.splice(0);
  }

  /** Terminate the worker now; the active run ends as 'stopped' (killed); others wait for a new one. */
  kill(reason = 'killed') {
    if (!this.worker) return;
    this.#drop(reason);
    this.onRestart(reason);
    if (this.queue.length) this.#next();
  }

  // ------------------------------------------------------------------------- internals

  #spawn() {
    this.interruptSab = new SharedArrayBuffer(4);
    this.interrupt = new Uint8Array(this.interruptSab);
    this.stdinSab = new SharedArrayBuffer(STDIN_HEADER_BYTES + STDIN_BYTES);
    this.stdinCtl = new Int32Array(this.stdinSab, 0, 2);
    this.stdinData = new Uint8Array(this.stdinSab, STDIN_HEADER_BYTES);
    this.generation += 1;
    const worker = new Worker(this.workerURL, { type: 'module', name: 'chatrun-python' });
    // The protocol runs over a private channel: code in the worker cannot reach its port.
    const channel = new MessageChannel();
    worker.postMessage({ cmd: CMD.connect }, [channel.port2]);
    this.client = new WorkerClient(channel.port1);
    worker.onerror = (e) => {
      if (this.worker !== worker) return;
      e.preventDefault?.();
      this.#drop(`worker error: ${e.message || 'failed to start'}`);
      this.onRestart('worker-error');
    };
    this.worker = worker;
  }

  // The worker is gone (killed, unloaded, crashed): pending requests fail, the active run ends
  // as stopped and killed.
  #drop(reason) {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    this.loaded = false;
    worker?.terminate();
    const run = this.active;
    this.active = null;
    this.client?.close(`Python worker stopped (${reason})`);
    this.client = null;
    if (run) {
      run.resolve({
        status: STATUS.stopped, killed: true, reason, durationMs: Math.round(performance.now() - run.started), truncated: false,
      });
      run.markFinished();
    }
  }

  async #next() {
    if (this.active || !this.queue.length) return;
    const item = this.queue.shift();
    let markFinished;
    const run = {
      ...item, started: performance.now(), sent: false, awaitingInput: false,
      finished: new Promise((r) => { markFinished = r; }),
    };
    run.markFinished = markFinished;
    this.active = run;
    try {
      await this.load({ warmUp: false });
    } catch (error) {
      if (this.active !== run) return; // stopped or killed meanwhile: already resolved
      this.active = null;
      const text = String(error?.message ?? error);
      run.onEvent({ type: EVENT.output, chunks: [{ stream: 'error', text: `${text}\n` }] });
      run.resolve({ status: STATUS.error, error: text, durationMs: 0, truncated: false });
      markFinished();
      this.#next();
      return;
    }
    if (this.active !== run || run.cancelled) return;
    run.sent = true;
    Atomics.store(this.interrupt, 0, 0);
    const onEvent = (event) => {
      if (event.type === EVENT.state) run.awaitingInput = event.state === STATE.awaitingInput;
      run.onEvent(event);
    };
    this.client.call(CMD.run, run.payload, onEvent).then(
      (result) => {
        if (this.active !== run) return; // killed meanwhile: already resolved
        this.active = null;
        if (result.fatal) this.kill('fatal');
        run.resolve(result);
        run.markFinished();
        this.#next();
      },
      () => {
        /* the worker was dropped: #drop resolved the run */
      },
    );
  }
}
