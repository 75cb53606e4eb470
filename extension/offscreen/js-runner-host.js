// Hosts the sandbox iframe that runs JavaScript/TypeScript (eval is only legal in a manifest
// sandbox page). Watches its heartbeat: a memory bomb kills the sandbox renderer without any
// error event, so silence is the only sign; then runs fail cleanly and the iframe is rebuilt.
const SANDBOX_URL = '../sandbox/sandbox.html';
const HEARTBEAT_TIMEOUT_MS = 2500;
const BACKSTOP_GRACE_MS = 4000; // the sandbox enforces timeouts; this catches a hung sandbox
export const MAX_OUTPUT_CHARS = 1_000_000;

let nextId = 1;

export class JsRunnerHost {
  constructor() {
    this.frame = null;
    this.ready = null;
    this.lastBeat = 0;
    this.runs = new Map(); // id -> {emit, backstop}
    window.addEventListener('message', (event) => this.onMessage(event));
    setInterval(() => this.checkHeartbeat(), 500);
  }

  ensureFrame() {
    if (this.ready) return this.ready;
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    const frame = document.createElement('iframe');
    frame.src = SANDBOX_URL;
    frame.title = 'Chatrun JavaScript sandbox';
    this.frame = frame;
    this.lastBeat = performance.now();
    document.body.appendChild(frame);
    return this.ready;
  }

  onMessage(event) {
    if (!this.frame || event.source !== this.frame.contentWindow) return;
    const message = event.data || {};
    this.lastBeat = performance.now();
    if (message.type === 'ready') {
      this.resolveReady?.();
      return;
    }
    if (message.type === 'heartbeat') return;
    const run = this.runs.get(message.id);
    if (!run) return;
    if (message.type === 'output') run.emit({ type: 'output', chunks: message.chunks });
    else if (message.type === 'notice') run.emit({ type: 'notice', text: message.text });
    else if (message.type === 'done') this.finish(message.id, message);
  }

  finish(id, result) {
    const run = this.runs.get(id);
    if (!run) return;
    this.runs.delete(id);
    clearTimeout(run.backstop);
    run.emit({
      type: 'done',
      status: result.status,
      durationMs: result.durationMs,
      truncated: Boolean(result.truncated),
      message: result.message,
    });
  }

  checkHeartbeat() {
    if (!this.frame || performance.now() - this.lastBeat < HEARTBEAT_TIMEOUT_MS) return;
    this.restart('The JavaScript sandbox stopped responding (most likely it ran out of memory) and was restarted.');
  }

  /** Drop the sandbox and fail its runs; the next run builds a fresh one. */
  restart(message) {
    const frame = this.frame;
    this.frame = null;
    this.ready = null;
    frame?.remove();
    for (const [id, run] of this.runs) {
      this.finish(id, { status: 'error', durationMs: performance.now() - run.startedAt, message });
    }
  }

  run(request, emit) {
    const id = nextId++;
    const startedAt = performance.now();
    const timeoutMs = request.timeoutMs || 10000;
    const run = { emit, startedAt, backstop: null };
    this.runs.set(id, run);
    emit({ type: 'state', state: 'running' });
    this.ensureFrame().then(() => {
      if (!this.runs.has(id)) return; // stopped before the sandbox was ready
      run.backstop = setTimeout(
        () => this.restart('The JavaScript sandbox did not stop the run in time and was restarted.'),
        timeoutMs + BACKSTOP_GRACE_MS,
      );
      this.post({
        cmd: 'run',
        id,
        language: request.language,
        code: request.code,
        lineOffset: request.lineOffset || 0,
        timeoutMs,
        maxOutput: MAX_OUTPUT_CHARS,
      });
    });
    return {
      stop: () => {
        if (!this.runs.has(id)) return;
        if (this.frame && run.backstop) this.post({ cmd: 'stop', id });
        else this.finish(id, { status: 'stopped', durationMs: performance.now() - startedAt });
      },
    };
  }

  post(message) {
    // A sandbox page has the opaque origin "null": it cannot be named as a target origin.
    this.frame?.contentWindow?.postMessage(message, '*');
  }
}
