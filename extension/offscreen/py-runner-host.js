// The Python runtime in the offscreen document: one warm Pyodide worker shared by every tab
// (through PyClient), running-time limits, Stop, input(), namespaces per conversation, and an
// idle unload. A run's clock starts when its code starts and pauses while it waits for input.
import { PyClient } from './py-client.js';
import { MAX_OUTPUT_CHARS } from './js-runner-host.js';

const IDLE_UNLOAD_MS = 30 * 60 * 1000;
const CLOCK_TICK_MS = 100;

export class PyRunnerHost {
  constructor({ idleUnloadMs = IDLE_UNLOAD_MS } = {}) {
    this.idleUnloadMs = idleUnloadMs;
    this.allowNetwork = false;
    this.packageIndex = null;
    this.client = this.makeClient();
    this.namespacesWithState = new Set(); // conversations whose variables live in the interpreter
    this.idleTimer = null;
    this.progressListeners = new Set();
  }

  makeClient() {
    return new PyClient({
      allowNetwork: this.allowNetwork,
      initOptions: { packageIndexURL: this.packageIndex },
      onProgress: (text) => this.progressListeners.forEach((listener) => listener(text)),
      onRestart: (reason) => this.announceRestart(reason),
    });
  }

  /** Python state was lost: tell the tabs whose conversations had variables. */
  announceRestart(reason) {
    const namespaces = [...this.namespacesWithState];
    this.namespacesWithState.clear();
    if (!namespaces.length) return;
    chrome.runtime.sendMessage({ target: 'background', type: 'python-restarted', namespaces, reason }).catch(() => {});
  }

  /** Network and the trusted package index are interpreter-wide: a change needs a fresh worker. */
  useSettings({ allowNetwork, packageIndex }) {
    const index = packageIndex || null;
    if (Boolean(allowNetwork) === this.allowNetwork && index === this.packageIndex) return;
    this.allowNetwork = Boolean(allowNetwork);
    this.packageIndex = index;
    this.client.kill('settings changed');
    this.client = this.makeClient();
  }

  touch() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.client.state === 'ready') this.client.unload();
    }, this.idleUnloadMs);
  }

  preload(emit) {
    this.touch();
    const onProgress = (text) => emit({ type: 'progress', text });
    this.progressListeners.add(onProgress);
    return this.client
      .load()
      .then(
        () => emit({ type: 'done', status: 'success', durationMs: 0 }),
        (error) => emit({ type: 'done', status: 'error', durationMs: 0, message: String(error.message || error) }),
      )
      .finally(() => this.progressListeners.delete(onProgress));
  }

  run(request, emit) {
    if (request.reset) return this.reset(request, emit);
    this.useSettings(request);
    if (request.idleMinutes > 0) this.idleUnloadMs = request.idleMinutes * 60 * 1000;
    this.touch();
    const client = this.client;
    const namespace = request.namespace || 'default';
    const timeoutMs = request.timeoutMs || 30000;
    let runningMs = 0;
    let runningSince = null;
    let timedOut = false;
    let stopped = false;

    const onProgress = (text) => emit({ type: 'progress', text });
    this.progressListeners.add(onProgress);
    emit({ type: 'state', state: client.state === 'ready' ? 'running' : 'loading' });

    const clock = setInterval(() => {
      const total = runningMs + (runningSince === null ? 0 : performance.now() - runningSince);
      if (!timedOut && !stopped && total > timeoutMs) {
        timedOut = true;
        emit({ type: 'notice', text: `Stopped after the ${Math.round(timeoutMs / 1000)} s time limit.` });
        client.stop();
      }
    }, CLOCK_TICK_MS);
    const pauseClock = () => {
      if (runningSince !== null) runningMs += performance.now() - runningSince;
      runningSince = null;
    };

    const onEvent = (event) => {
      switch (event.event) {
        case 'running':
          runningSince = performance.now();
          emit({ type: 'notice', text: '' });
          emit({ type: 'state', state: 'running' });
          break;
        case 'output':
          emit({ type: 'output', chunks: event.chunks });
          break;
        case 'input-request':
          pauseClock(); // waiting for the user does not count as running time
          emit({ type: 'state', state: 'awaiting-input', prompt: event.prompt });
          break;
        default:
          break;
      }
    };

    client
      .run(request.code, { namespace, lineOffset: request.lineOffset || 0, maxOutput: MAX_OUTPUT_CHARS }, onEvent)
      .then((result) => {
        clearInterval(clock);
        this.progressListeners.delete(onProgress);
        // A killed worker already announced its lost namespaces (announceRestart).
        if (!result.killed) this.namespacesWithState.add(namespace);
        let status = result.status;
        if (timedOut) status = 'timeout';
        else if (stopped && status !== 'error') status = 'stopped';
        const message = result.killed
          ? 'The code did not stop in time, so Python was restarted: variables of every page are gone.'
          : undefined;
        emit({ type: 'done', status, durationMs: result.durationMs, truncated: Boolean(result.truncated), message });
        this.touch();
      });

    return {
      stop: () => {
        stopped = true;
        client.stop();
      },
      input: (text) => {
        client.sendInput(text);
        if (runningSince === null) runningSince = performance.now();
        emit({ type: 'state', state: 'running' });
      },
    };
  }

  reset(request, emit) {
    const namespace = request.namespace || 'default';
    this.namespacesWithState.delete(namespace);
    this.client.reset(namespace).then(
      () => emit({ type: 'done', status: 'success', durationMs: 0 }),
      (error) => emit({ type: 'done', status: 'error', durationMs: 0, message: String(error.message || error) }),
    );
    return { stop() {} };
  }
}
