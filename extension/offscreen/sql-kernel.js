// One SQL kernel: a database in its own worker (sql-worker.js and the dialect's engine) that only
// ever runs the blocks of one conversation, like py-kernel.js for Python. It gives each run what
// the panel needs: state and progress events, the time limit and Stop. Stop and the time limit
// first ask the worker to stop between statements; a statement that does not yield within the
// grace period has its worker terminated: the conversation's database is gone, the kernel is dead
// for good and the pool gives the conversation a new one.
import { MAX_OUTPUT_CHARS } from './js-runner-host.js';
import { CMD, EVENT, STATE, STATUS, WorkerClient } from '../shared/protocol.js';

const CLOCK_TICK_MS = 100;

export class SqlKernel {
  /**
   * @param {object} options
   * @param {URL} options.workerURL  the dialect's worker module
   * @param {string} options.label  the engine's name in messages ("SQLite")
   * @param {() => Promise<object>} [options.initPayload]  more init fields (the engine's options)
   * @param {(result) => void} [options.onLoaded]  the worker's init result
   * @param {{closed, lost}} [options.words]  what the panel is told when the state is gone (another
   *        runner's kernel: the R runner's)
   */
  constructor({
    workerURL, label, initPayload = async () => ({}), onLoaded = () => {}, onDeath = () => {},
    loadTimeoutMs = 60000, stopGraceMs = 1000, words = {},
  }) {
    Object.assign(this, { workerURL, label, initPayload, onLoaded, onDeath, loadTimeoutMs, stopGraceMs });
    this.words = {
      closed: `The ${label} database was closed.`,
      lost: `The query did not stop in time, so this conversation's ${label} database was restarted: its tables are gone.`,
      ...words,
    };
    this.dead = null; // why it died, once it has
    this.loaded = false;
    this.ready = null;
    this.worker = null;
    this.client = null;
    this.active = null; // the run in progress: {stopTimer}
    this.progressListeners = new Set();
  }

  /** No runner setting shapes what SQL code may do (it never has network). */
  matches() {
    return true;
  }

  /** Start the worker and load the engine (once; shared promise). */
  load() {
    if (this.ready) return this.ready;
    if (this.dead) return Promise.reject(new Error(this.words.closed));
    this.interrupt = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(this.workerURL, { type: 'module', name: `chatrun-${this.label.toLowerCase()}` });
    // The protocol runs over a private channel: code in the worker cannot reach its port.
    const channel = new MessageChannel();
    worker.postMessage({ cmd: CMD.connect }, [channel.port2]);
    this.client = new WorkerClient(channel.port1);
    worker.onerror = (e) => {
      e.preventDefault?.();
      this.kill(`worker error: ${e.message || 'failed to start'}`);
    };
    this.worker = worker;
    const init = this.initPayload().then((payload) => this.client.call(
      CMD.init,
      { ...payload, interruptBuffer: this.interrupt.buffer, loadTimeoutMs: this.loadTimeoutMs },
      (event) => event.type === EVENT.progress && this.progressListeners.forEach((listener) => listener(event.text)),
    ));
    // The worker has its own load timeout; this one catches a worker that never answers at all.
    let timer;
    const silent = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`The ${this.label} worker did not answer.`)), this.loadTimeoutMs + 5000);
    });
    this.ready = Promise.race([init, silent]).finally(() => clearTimeout(timer)).then(
      (result) => {
        this.loaded = true;
        this.onLoaded(result);
        return result;
      },
      (error) => {
        this.dispose('failed to load'); // no code ran in it: nothing to announce
        throw error;
      },
    );
    return this.ready;
  }

  /**
   * Run one block. `emit` gets {type:'state'|'progress'|'output'|'notice'} events; the returned
   * promise resolves with the final {status, durationMs, truncated, message?}.
   */
  async run({ code, lineOffset = 0, timeoutMs = 30000 }, emit, control) {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    if (this.dead) return { status: STATUS.error, durationMs: 0, truncated: false, message: this.words.closed };
    const onProgress = (text) => emit({ type: EVENT.progress, text });
    this.progressListeners.add(onProgress);
    emit({ type: EVENT.state, state: this.loaded ? STATE.running : STATE.loading });
    const run = { killed: false, timedOut: false, stopTimer: null };
    this.active = run;
    // Stop while the engine loads: this run ends, the engine goes on loading for the next one.
    const stoppedWhileLoading = new Promise((resolve) => {
      control.onStop = () => (this.loaded ? this.stop(run) : resolve(true));
    });
    let clock = null;
    try {
      try {
        if (await Promise.race([this.load(), stoppedWhileLoading]) === true) {
          return { status: STATUS.stopped, durationMs: elapsed(), truncated: false };
        }
      } catch (error) {
        emit({ type: EVENT.output, chunks: [{ stream: 'error', text: `${error?.message ?? error}\n` }] });
        return { status: STATUS.error, durationMs: elapsed(), truncated: false };
      }
      if (control.stopped) return { status: STATUS.stopped, durationMs: 0, truncated: false };
      Atomics.store(this.interrupt, 0, 0);
      let runningSince = null;
      const limit = `Stopped after the ${Math.round(timeoutMs / 100) / 10} s time limit.`;
      clock = setInterval(() => {
        if (runningSince === null || run.timedOut || control.stopped || performance.now() - runningSince <= timeoutMs) return;
        run.timedOut = true;
        emit({ type: EVENT.notice, text: limit });
        this.stop(run);
      }, CLOCK_TICK_MS);
      const onEvent = (event) => {
        if (event.type === EVENT.state && event.state === STATE.running && runningSince === null) {
          runningSince = performance.now();
          emit({ type: EVENT.notice, text: '' }); // loading is over
        }
        emit(event);
      };
      let result;
      try {
        result = await this.client.call(CMD.run, { code, lineOffset, maxOutput: MAX_OUTPUT_CHARS }, onEvent);
      } catch {
        result = { status: STATUS.stopped, durationMs: elapsed(), truncated: false }; // the worker was killed
      }
      let status = result.status;
      if (run.timedOut) status = STATUS.timeout;
      else if (control.stopped && status !== STATUS.error) status = STATUS.stopped;
      const message = run.killed ? `${run.timedOut ? `${limit} ` : ''}${this.words.lost}` : undefined;
      return { status, durationMs: result.durationMs, truncated: Boolean(result.truncated), message };
    } finally {
      clearInterval(clock);
      clearTimeout(run.stopTimer);
      this.progressListeners.delete(onProgress);
      if (this.active === run) this.active = null;
    }
  }

  // Ask the worker to stop between statements; end it if a statement does not yield in time.
  stop(run) {
    if (this.active !== run || run.stopTimer) return;
    Atomics.store(this.interrupt, 0, 1);
    run.stopTimer = setTimeout(() => {
      if (this.active !== run) return;
      run.killed = true;
      this.kill('stop-timeout');
    }, this.stopGraceMs);
  }

  /** End the worker now: the database is gone; the pool is told (onDeath). */
  kill(reason) {
    if (this.dead) return;
    this.dispose(reason);
    this.onDeath(reason);
  }

  /** Free the worker (its memory) now. */
  dispose(reason = 'freed') {
    this.dead ||= reason;
    this.worker?.terminate();
    this.worker = null;
    this.client?.close(`${this.label} worker stopped (${reason})`);
    this.client = null;
  }
}

/** A dialect's runner module interface (shared/languages.js `runner`) around its worker. */
export function sqlRunner(options) {
  return {
    // No runner setting shapes a SQL kernel.
    configOf: () => ({}),
    createKernel: (config, onDeath) => new SqlKernel({ ...options, onDeath }),
  };
}
