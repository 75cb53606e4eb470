// Drives extension/offscreen/py-client.js for the Selenium tests: window.H.run() collects every
// event of a run with its arrival time and can answer input() and press Stop on cue.
import { PyClient } from '/offscreen/py-client.js';

const progress = [];
const restarts = [];

function makeClient(options = {}) {
  return new PyClient({
    onProgress: (text) => progress.push(text),
    onRestart: (reason) => restarts.push(reason),
    ...options,
  });
}

const H = {
  py: makeClient(),
  progress,
  restarts,
  isolated: globalThis.crossOriginIsolated,

  async load() {
    const t0 = performance.now();
    const result = await H.py.load();
    return { ...result, wallMs: Math.round(performance.now() - t0), progress: [...progress] };
  },

  /**
   * opts: namespace, lineOffset, maxOutput,
   *   inputs: lines to answer input() with (each after inputDelayMs), null = EOF
   *   stopAfterMs: press Stop this long after the 'running' event (or after the first input-request
   *   when stopOnInput is set); stopNow: press Stop right away (e.g. while Python loads)
   */
  run(code, opts = {}) {
    const t0 = performance.now();
    const events = [];
    const inputs = [...(opts.inputs ?? [])];
    let stopResult = null;
    const stop = () => H.py.stop({ graceMs: opts.graceMs ?? 2000 }).then((r) => { stopResult = r; });
    const promise = H.py.run(code, opts, (event) => {
      events.push({ ...event, t: Math.round(performance.now() - t0) });
      if (event.type === 'state' && event.state === 'running' && opts.stopAfterMs !== undefined && !opts.stopOnInput) {
        setTimeout(stop, opts.stopAfterMs);
      }
      if (event.type === 'state' && event.state === 'awaiting-input') {
        if (opts.stopOnInput) setTimeout(stop, opts.stopAfterMs ?? 100);
        else if (inputs.length) setTimeout(() => H.py.sendInput(inputs.shift()), opts.inputDelayMs ?? 50);
      }
    });
    if (opts.stopNow) setTimeout(stop, 0);
    return promise.then(async (done) => {
      await new Promise((r) => setTimeout(r, 0));
      const chunks = events.filter((e) => e.type === 'output').flatMap((e) => e.chunks.map((c) => ({ ...c, t: e.t })));
      const text = (stream) => chunks.filter((c) => c.stream === stream).map((c) => c.text).join('');
      return {
        status: done.status, done, events, chunks,
        stdout: text('stdout'), stderr: text('stderr'), error: text('error'), ret: text('return'),
        figures: chunks.filter((c) => c.stream === 'figure').map((c) => c.text),
        tables: chunks.filter((c) => c.stream === 'table').map((c) => JSON.parse(c.text)),
        wallMs: Math.round(performance.now() - t0), stopResult, generation: H.py.generation,
      };
    });
  },

  /** A second, independent client (e.g. with allowNetwork). */
  async other(options, code) {
    const py = makeClient(options);
    try {
      await py.load();
      const events = [];
      const done = await py.run(code, {}, (e) => events.push(e));
      const chunks = events.filter((e) => e.type === 'output').flatMap((e) => e.chunks);
      return { status: done.status, chunks };
    } finally {
      await py.unload();
    }
  },
};

window.H = H;
document.getElementById('status').textContent = 'ready';
