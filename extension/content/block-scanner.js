// Finds code blocks as the page changes and reports each one once it is complete.
// One batched MutationObserver; each batch costs one pass over the page per active adapter. A
// pass runs in time slices (time-slice.js), blocks on screen first (viewport-order.js), and
// reports ready blocks as it goes, a few at a time: a page of a thousand blocks gets its first
// panels at once and never a long task. Adapters are isolated: one that throws is skipped
// (adapter-guard.js) and the rest go on.
import { SITE_ADAPTERS, GENERIC_ADAPTER } from './adapters/index.js';
import { checkAdapter, guarded, isDisabled } from './adapter-guard.js';
import { asTask, taskStart } from './task-timing.js';
import { SLICE_MS, SlicedJob } from './time-slice.js';
import { outwardFromViewport } from './viewport-order.js';

const SCAN_DELAY_MS = 80; // batch bursts of mutations (streaming tokens) into one scan
export const QUIET_MS = 600; // a block whose text has not changed this long is complete
const ANY_CODE = 'pre, code, .cm-content, .line, .token-line';
// Ready blocks a slice reports at most, at its end (read together, then given hosts together:
// one style recalculation per slice, not one per block read after a write).
const SLICE_BLOCKS = 16;
// Blocks on screen are what the next frame shows: their part of a pass may take longer than a
// slice (a cold start reads slowly), near ones come in the next tasks, the rest in idle time.
const ON_SCREEN_MS = 8;
const inPageOrder = (list) => list;

export class BlockScanner {
  /** @param {{onReady(blocks: Array<[root, adapter, onScreen, near]>): void, onGone(root): void, onIdle?(): void}} callbacks
   *  `onReady` gets a few blocks at a time, in the scan's task (its time counts in the slice),
   *  each saying whether it is on screen and whether it is on screen or near it (true or false
   *  as the pass found when it began, null: not known; viewport-order.js);
   *  `onIdle` follows a pass that reported blocks. */
  constructor(callbacks, {
    hostname = location.hostname,
    document: doc = window.document,
    adapters = SITE_ADAPTERS,
    generic = GENERIC_ADAPTER,
  } = {}) {
    this.callbacks = callbacks;
    this.doc = doc;
    this.hostname = hostname;
    this.siteAdapters = adapters.filter((adapter) => checkAdapter(adapter, doc));
    this.generic = checkAdapter(generic, doc) ? generic : null;
    this.active = this.siteAdapters.filter((a) => a.hosts.some((h) => hostname === h || hostname.endsWith(`.${h}`)));
    this.trackers = new Map(); // root element -> {adapter, text, changedAt, ready}
    this.timer = null;
    this.quietTimer = null;
    this.observer = null;
    this.job = null; // the pass under way
    this.again = false; // the page changed while it ran: one more pass after it
    this.ready = []; // [root, adapter] found ready, not yet reported
  }

  start() {
    const started = performance.now();
    this.scan(true);
    // Its first slice, in the page's performance timeline: scripts/bench reads it.
    performance.measure('chatrun:initial-scan', { start: started, end: performance.now() });
    this.observer = new MutationObserver(asTask((records) => {
      if (records.every(isOwnChange)) return;
      this.schedule(SCAN_DELAY_MS);
    }, 'mutations'));
    this.observer.observe(this.doc.documentElement, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['class', 'data-is-streaming', 'aria-busy', 'data-language'],
    });
  }

  stop() {
    this.observer?.disconnect();
    this.job?.cancel();
    this.job = null;
    clearTimeout(this.timer);
    clearTimeout(this.quietTimer);
  }

  schedule(delay) {
    if (this.timer) return;
    this.timer = setTimeout(asTask(() => {
      this.timer = null;
      this.scan(false);
    }, 'scan'), delay);
  }

  activateBySignature() {
    for (const adapter of this.siteAdapters) {
      if (this.active.includes(adapter) || !adapter.signature) continue;
      if (guarded(adapter, () => this.doc.querySelector(adapter.signature), null)) this.active.push(adapter);
    }
  }

  /** Block roots on the page, each with the adapter that owns it (site adapters first), in
   *  document order: the whole pass at once (scans go in slices: scan()). */
  findRoots() {
    const roots = new Map();
    const steps = this.passOver(roots, inPageOrder);
    while (!steps.next().done);
    return roots;
  }

  /** A pass over the page, one step per candidate element: each root found goes into `roots`
   *  (and to `onRoot`), each adapter's candidates in `order`. */
  *passOver(roots, order, onRoot = () => {}) {
    // Cheap exit for the common page without any code.
    if (!this.doc.querySelector(ANY_CODE)) return;
    this.activateBySignature();
    const claimed = new Set(); // roots earlier adapters own
    const claimedBy = []; // [adapter, its block selector]: each tried alone, never joined up
    const isClaimed = (el) => {
      if (claimed.size === 0) return false;
      for (let node = el; node; node = node.parentElement) if (claimed.has(node)) return true;
      return false;
    };
    for (const adapter of [...this.active, this.generic]) {
      if (!adapter || isDisabled(adapter)) continue;
      const found = guarded(adapter, () => candidatesOf(adapter, this.doc, isClaimed, order)[Symbol.iterator](), null);
      if (!found) continue; // it threw: skipped, with one warning; the others still run
      const owned = [];
      for (;;) {
        const next = guarded(adapter, () => found.next(), null);
        if (!next) { // it threw halfway: what it found goes to the others, as if it never ran
          for (const root of owned) roots.delete(root);
          owned.length = 0;
          break;
        }
        if (next.done) break;
        const root = next.value;
        if (root && !roots.has(root) && !isOurs(root) && !isClaimed(root) &&
          // A root around one already claimed belongs to that block.
          !claimedBy.some(([owner, selector]) => guarded(owner, () => root.querySelector(selector), null))) {
          roots.set(root, adapter);
          owned.push(root);
          onRoot(root, adapter);
        }
        yield;
      }
      for (const root of owned) claimed.add(root);
      if (adapter.block) claimedBy.push([adapter, adapter.block]);
    }
  }

  /** Scan again soon (an adapter was switched off: the others may now own its blocks). */
  rescan() {
    this.schedule(0);
  }

  /** A pass over the page in slices, blocks on screen first; one at a time (a change during
   *  a pass gets a pass of its own after it). `initial`: blocks already there count as complete. */
  scan(initial) {
    if (this.job) {
      this.again = true;
      return;
    }
    this.again = false;
    let reported = false;
    const flush = () => {
      const ready = this.ready.filter(([root]) => root.isConnected);
      this.ready = [];
      if (ready.length) {
        reported = true;
        this.callbacks.onReady(ready);
      }
    };
    const roots = new Map();
    const where = { onScreen: null, near: null }; // where the element the pass is at is
    let nextCheck = Infinity;
    const track = (root, adapter) => {
      const wait = this.track(root, adapter, initial, where);
      if (wait > 0) nextCheck = Math.min(nextCheck, wait);
    };
    const steps = this.passOver(roots, (list) => outwardFromViewport(list, where), track);
    this.job = new SlicedJob(steps, initial ? 'first scan' : 'scan', {
      budget: () => (where.onScreen ? ON_SCREEN_MS : SLICE_MS),
      // Past the blocks on screen and near it, only when the page and the filling of panels
      // near the viewport leave the main thread idle.
      priority: () => (where.near === false ? 'background' : 'user-visible'),
      beforePause: flush,
      enough: () => this.ready.length >= SLICE_BLOCKS,
      onDone: () => {
        this.job = null;
        for (const root of this.trackers.keys()) {
          if (!roots.has(root)) {
            this.trackers.delete(root);
            this.callbacks.onGone(root);
          }
        }
        if (reported) this.callbacks.onIdle?.();
        if (nextCheck !== Infinity) {
          clearTimeout(this.quietTimer);
          this.quietTimer = setTimeout(asTask(() => this.scan(false), 'scan when quiet'), Math.ceil(nextCheck) + 10);
        }
        if (this.again) this.schedule(0);
      },
    });
    // Its first slice counts what its task spent already (at load: making this scanner), so
    // the task stays inside a frame with the panels it builds.
    this.job.run(taskStart());
  }

  /** Follow one root's text; a complete block goes into `this.ready` (with where it is:
   *  `where.onScreen`, `where.near`). Returns how long until it may be complete (0: nothing to wait for). */
  track(root, adapter, initial, { onScreen, near } = {}) {
    const now = performance.now();
    const text = root.textContent;
    let tracker = this.trackers.get(root);
    if (!tracker || tracker.adapter !== adapter) {
      tracker = { adapter, text, changedAt: initial ? -Infinity : now, ready: false };
      this.trackers.set(root, tracker);
    } else if (tracker.text !== text) {
      tracker.text = text;
      tracker.changedAt = now;
    }
    if (isStreaming(root, adapter)) {
      tracker.changedAt = Math.max(tracker.changedAt, now);
      return 0; // the streaming flag's change triggers the next scan
    }
    const quietFor = now - tracker.changedAt;
    if (quietFor < QUIET_MS) return QUIET_MS - quietFor;
    // Ready blocks are reported on every change too: the panel follows edits and re-renders.
    if (!tracker.ready || tracker.reportedText !== text) {
      tracker.ready = true;
      tracker.reportedText = text;
      this.ready.push([root, adapter, onScreen ?? null, near ?? null]);
    }
    return 0;
  }
}

// Our panels changing, or being placed after their blocks: nothing to scan for.
function isOwnChange(record) {
  if (isOurs(record.target)) return true;
  if (record.type !== 'childList') return false;
  for (const node of record.addedNodes) if (!isHost(node)) return false;
  for (const node of record.removedNodes) if (!isHost(node)) return false;
  return true;
}

function isHost(node) {
  return node.nodeType === Node.ELEMENT_NODE && node.hasAttribute('data-code-runner');
}

function isOurs(node) {
  const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return Boolean(el && el.closest('[data-code-runner]'));
}

function isStreaming(root, adapter) {
  return Boolean(adapter.streaming && guarded(adapter, () => root.closest(adapter.streaming), null));
}

/** An adapter's block roots in `scope`, in document order: its own code (`find`) or its block
 *  selector. `isClaimed(el)` tells `find` which elements other adapters own. */
export function rootsOf(adapter, scope, isClaimed = undefined) {
  return Array.from(candidatesOf(adapter, scope, isClaimed, inPageOrder)).filter(Boolean);
}

// An adapter's roots one step at a time, in `order` (a step may find nothing: undefined): its
// block selector's matches, or its own code's finds (`findEach`, lazy, else `find`, a list).
function* candidatesOf(adapter, scope, isClaimed, order) {
  if (adapter.findEach) {
    for (const block of adapter.findEach(scope, isClaimed, order)) yield block?.root;
  } else if (adapter.find) {
    for (const block of adapter.find(scope, isClaimed)) yield block.root;
  } else {
    yield* order(scope.querySelectorAll(adapter.block));
  }
}
