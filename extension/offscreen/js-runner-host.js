// The JavaScript/TypeScript runner: hosts the sandbox iframe (eval is only legal in a manifest
// sandbox page) and talks to it over a private port in the run protocol (shared/protocol.js).
// Watches its heartbeat: a memory bomb kills the sandbox renderer without any error event, so
// silence is the only sign; then runs fail cleanly and the iframe is rebuilt.
import { CMD, STATUS, WorkerClient } from '../shared/protocol.js';

const SANDBOX_URL = '../sandbox/sandbox.html';
const HEARTBEAT_TIMEOUT_MS = 2500;
const BACKSTOP_GRACE_MS = 4000; // the sandbox enforces time limits; this catches a hung sandbox
export const MAX_OUTPUT_CHARS = 1_000_000;

export class JsRunnerHost {
  constructor() {
    this.frame = null;
    this.client = null; // WorkerClient over the sandbox's port, once it is connected
    this.ready = null;
    this.lastBeat = 0;
    this.runs = new Set(); // {fail(message)} of the runs in the sandbox
    setInterval(() => this.checkHeartbeat(), 500);
  }

  ensureFrame() {
    if (this.ready) return this.ready;
    const frame = document.createElement('iframe');
    frame.src = SANDBOX_URL;
    frame.title = 'Chatrun JavaScript sandbox';
    this.frame = frame;
    this.lastBeat = performance.now();
    this.ready = new Promise((resolve) => {
      frame.addEventListener('load', () => {
        if (this.frame !== frame) return;
        const channel = new MessageChannel();
        // A sandbox page has the opaque origin "null": it cannot be named as a target origin.
        frame.contentWindow.postMessage({ cmd: CMD.connect }, '*', [channel.port2]);
        this.client = new WorkerClient(channel.port1, { onStray: () => (this.lastBeat = performance.now()) });
        resolve(this.client);
      }, { once: true });
    });
    document.body.appendChild(frame);
    return this.ready;
  }

  checkHeartbeat() {
    if (!this.client || performance.now() - this.lastBeat < HEARTBEAT_TIMEOUT_MS) return;
    this.restart('The JavaScript sandbox stopped responding (most likely it ran out of memory) and was restarted.');
  }

  /** Drop the sandbox and fail its runs; the next run builds a fresh one. */
  restart(message) {
    const { frame, client } = this;
    Object.assign(this, { frame: null, client: null, ready: null });
    frame?.remove();
    client?.close('sandbox restarted');
    for (const run of [...this.runs]) run.fail(message);
  }

  /**
   * Run a block; `emit` gets the sandbox's events unchanged. Resolves with the result; `control`
   * gets a stop() while it runs.
   */
  run({ language, code, lineOffset = 0, timeoutMs = 10000 }, emit, control) {
    const startedAt = performance.now();
    // No 'running' event: the panel shows it from the click on, and each message to the page costs.
    return new Promise((resolve) => {
      let backstop = null;
      const run = {
        fail: (message) => finish({ status: STATUS.error, durationMs: performance.now() - startedAt, message }),
      };
      const finish = (result) => {
        if (!this.runs.delete(run)) return;
        clearTimeout(backstop);
        resolve(result);
      };
      this.runs.add(run);
      control.onStop = () => finish({ status: STATUS.stopped, durationMs: performance.now() - startedAt });
      if (control.stopped) return control.onStop();
      this.ensureFrame().then((client) => {
        if (!this.runs.has(run)) return; // stopped before the sandbox was ready
        backstop = setTimeout(
          () => this.restart('The JavaScript sandbox did not stop the run in time and was restarted.'),
          timeoutMs + BACKSTOP_GRACE_MS,
        );
        const call = client.call(CMD.run, { language, code, lineOffset, timeoutMs, maxOutput: MAX_OUTPUT_CHARS }, emit);
        control.onStop = () => client.send(CMD.stop, { run: call.id });
        call.then(finish, (error) => run.fail(error.message));
      });
    });
  }
}

// The runner module's interface (shared/languages.js `runner`): one sandbox serves every run of
// every language that names this module; each run gets a fresh worker there.
let host = null;
export function createRunner() {
  host ||= new JsRunnerHost();
  return host;
}
