// Kernels of one language, one per conversation, like a notebook server's kernels:
// - a conversation's first run takes the warm spare (a loaded interpreter no code has run in)
//   or starts a new kernel; a kernel never serves another conversation, even after a Reset;
// - runs of one conversation run in order; runs of different conversations run side by side;
// - a budget of live kernels: past it the least recently used idle kernel is freed;
// - a kernel is freed after the idle setting, when the last page holding its conversation goes
//   away, or on Reset; the pages of that conversation are told (FREED_REASON).
import { FREED_REASON } from '../shared/messages.js';
import { keptBy, labelOf } from '../shared/languages.js';
import { STATUS } from '../shared/protocol.js';

const RELEASE_GRACE_MS = 5000; // a reload of the page keeps its kernel

export class KernelPool {
  /**
   * @param {object} options
   * @param {string} options.language
   * @param {(config, onDeath) => object} options.createKernel  a kernel: load(), run(), matches(),
   *        dispose(), loaded, dead
   * @param {(settings) => object} options.configOf  the runner settings a kernel is started with
   * @param {() => Promise<object>} options.settings  the current runner settings
   * @param {(key, message) => void} options.notify  tell the pages of a conversation
   * @param {(key) => boolean} options.isHeld  whether a page of the conversation is open
   * @param {() => object} [options.runtimeStatus]  the runner module's own facts, for status()
   */
  constructor({ language, createKernel, configOf, settings, notify, isHeld, runtimeStatus = () => ({}) }) {
    Object.assign(this, { language, createKernel, configOf, settings, notify, isHeld, runtimeStatus });
    this.entries = new Map(); // conversation key -> {key, site, kernel, lastUsed, busy, tail, idleTimer}
    this.spare = null;
    this.spareWanted = false;
    this.spareTimer = null;
  }

  // --------------------------------------------------------------------------- spare

  /** A page shows a block of this language: have a spare ready for its first run. */
  async preload() {
    this.spareWanted = true;
    const settings = await this.settings();
    this.ensureSpare(settings);
    this.armSpareTimer(settings);
  }

  ensureSpare(settings) {
    const config = this.configOf(settings);
    if (this.spare && !this.spare.dead && this.spare.matches(config)) return;
    this.spare?.dispose('settings');
    const spare = this.createKernel(config, () => {
      if (this.spare === spare) this.spare = null;
    });
    this.spare = spare;
    spare.load().catch(() => {
      if (this.spare === spare) this.spare = null;
      spare.dispose('failed');
    });
  }

  // The spare is freed too after the idle setting without runs or preloads.
  armSpareTimer(settings) {
    clearTimeout(this.spareTimer);
    this.spareTimer = setTimeout(() => {
      this.spareWanted = false;
      this.spare?.dispose(FREED_REASON.idle);
      this.spare = null;
    }, idleMs(settings));
  }

  takeKernel(config) {
    const spare = this.spare;
    if (spare && !spare.dead && spare.matches(config)) {
      this.spare = null;
      return spare;
    }
    return null;
  }

  // --------------------------------------------------------------------------- runs

  /**
   * Run `request` in the conversation's kernel, after the conversation's earlier runs. `emit` gets
   * the run's events; `control` ({stopped, onStop, onInput}) lets the caller stop it or answer
   * input(). Resolves with the run's result.
   */
  run(conversation, request, emit, control) {
    const entry = this.entries.get(conversation.key) || this.admit(conversation);
    entry.lastUsed = Date.now();
    entry.busy += 1;
    clearTimeout(entry.idleTimer);
    const done = entry.tail
      .then(() => this.runNow(entry, request, emit, control))
      .catch((error) => ({ status: STATUS.error, durationMs: 0, truncated: false, message: String(error?.message || error) }));
    entry.tail = done;
    return done.finally(() => {
      entry.busy -= 1;
      entry.lastUsed = Date.now();
      this.afterRun(entry);
    });
  }

  async runNow(entry, request, emit, control) {
    if (control.stopped) return { status: STATUS.stopped, durationMs: 0, truncated: false }; // stopped while queued
    const settings = await this.settings();
    const config = this.configOf(settings);
    let message;
    if (entry.kernel && (entry.kernel.dead || !entry.kernel.matches(config))) {
      if (!entry.kernel.dead) message = `${this.label()} was restarted because a runner setting changed: this conversation's earlier ${keptBy(this.language)} are gone.`;
      entry.kernel.dispose(FREED_REASON.settings);
      entry.kernel = null;
    }
    if (!entry.kernel) entry.kernel = this.newKernelFor(entry, config);
    const result = await entry.kernel.run({ ...request, timeoutMs: settings.timeoutMs[this.language] }, emit, control);
    return message && !result.message ? { ...result, message } : result;
  }

  newKernelFor(entry, config) {
    const kernel = this.takeKernel(config) || this.createKernel(config, () => {});
    // Killed (Stop ignored, crash): the conversation's variables are gone; its next run gets a
    // fresh kernel. Other conversations are untouched.
    kernel.onDeath = (reason) => {
      if (entry.kernel !== kernel) return;
      entry.kernel = null;
      this.notify(entry.key, { language: this.language, reason: FREED_REASON.restarted, detail: reason });
    };
    return kernel;
  }

  // A new spare warms up once the run that took the last one is over, so loading it does not
  // compete with that run for the CPU.
  async refillSpare() {
    if (this.spare || !this.spareWanted) return;
    const settings = await this.settings();
    this.ensureSpare(settings);
  }

  async afterRun(entry) {
    const settings = await this.settings();
    this.enforceBudget(settings);
    this.refillSpare();
    if (!this.entries.has(entry.key) || entry.busy) return;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => this.free(entry.key, FREED_REASON.idle), idleMs(settings));
    if (entry.released) this.maybeRelease(entry.key);
  }

  admit(conversation) {
    const entry = {
      key: conversation.key, site: conversation.site, kernel: null, lastUsed: Date.now(), busy: 0,
      tail: Promise.resolve(), idleTimer: null, released: false,
    };
    this.entries.set(conversation.key, entry);
    this.settings().then((settings) => this.enforceBudget(settings));
    return entry;
  }

  /** Past the budget, free the least recently used kernels that are not running. */
  enforceBudget(settings) {
    const max = Math.max(1, Number(settings.maxKernels) || 1);
    const idle = [...this.entries.values()].filter((e) => !e.busy).sort((a, b) => a.lastUsed - b.lastUsed);
    let over = this.entries.size - max;
    for (const entry of idle) {
      if (over <= 0) break;
      this.free(entry.key, FREED_REASON.budget, { max });
      over -= 1;
    }
  }

  // --------------------------------------------------------------------------- freeing

  /** Free a conversation's kernel now and tell its pages (why, in `reason`). */
  free(key, reason, extra = {}) {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    clearTimeout(entry.idleTimer);
    entry.kernel?.dispose(reason);
    this.notify(key, { language: this.language, reason, ...extra });
    return true;
  }

  /** Reset: the conversation's kernel goes away; its next run starts in a fresh one. */
  async reset(conversation) {
    const existed = this.free(conversation.key, FREED_REASON.reset);
    if (this.spareWanted) this.ensureSpare(await this.settings());
    return existed;
  }

  /** A page of this conversation is open again (a reload): keep its kernel. */
  held(key) {
    const entry = this.entries.get(key);
    if (entry) entry.released = false;
  }

  /** The last page of this conversation went away: free its kernel after a grace period. */
  released(key) {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.released = true;
    setTimeout(() => this.maybeRelease(key), RELEASE_GRACE_MS);
  }

  // Nobody holds the conversation any more (its pages closed or navigated away): free it, once
  // its runs are over.
  maybeRelease(key) {
    const entry = this.entries.get(key);
    if (!entry || !entry.released || this.isHeld(key) || entry.busy) return;
    this.free(key, FREED_REASON.closed);
  }

  /** What the options page shows. */
  status() {
    return {
      language: this.language,
      ...this.runtimeStatus(),
      spare: this.spare ? (this.spare.loaded ? 'ready' : 'loading') : 'none',
      spareImports: this.spare?.imports ?? null, // Python: modules imported ahead (py-kernel.js)
      kernels: [...this.entries.values()].map((e) => ({
        key: e.key, site: e.site, busy: e.busy > 0, lastUsed: e.lastUsed, held: this.isHeld(e.key),
        fromSnapshot: Boolean(e.kernel?.fromSnapshot),
      })),
    };
  }

  label() {
    return labelOf(this.language);
  }
}

function idleMs(settings) {
  return Math.max(0.05, Number(settings.kernelIdleMinutes) || 30) * 60 * 1000;
}
