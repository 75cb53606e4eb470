// Finds code blocks as the page changes and reports each one once it is complete.
// One batched MutationObserver; each batch costs one querySelectorAll per active adapter.
// Adapters are isolated: one that throws is skipped (adapter-guard.js) and the rest go on.
import { SITE_ADAPTERS, GENERIC_ADAPTER } from './adapters/index.js';
import { checkAdapter, guarded, isDisabled } from './adapter-guard.js';
import { asTask } from './task-timing.js';

const SCAN_DELAY_MS = 80; // batch bursts of mutations (streaming tokens) into one scan
export const QUIET_MS = 600; // a block whose text has not changed this long is complete
const ANY_CODE = 'pre, code, .cm-content, .line, .token-line';

export class BlockScanner {
  /** @param {{onReady(blocks: Array<[root, adapter]>, scanStart: number): void, onGone(root): void}} callbacks
   *  `scanStart`: when this task began finding blocks (the time already spent in it). */
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
  }

  start() {
    const started = performance.now();
    this.scan(true);
    // Visible in the page's performance timeline: scripts/bench reads it.
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

  /** Block roots on the page, each with the adapter that owns it (site adapters first). */
  findRoots() {
    // Cheap exit for the common page without any code.
    if (!this.doc.querySelector(ANY_CODE)) return new Map();
    this.activateBySignature();
    const roots = new Map();
    const claimed = new Set(); // roots earlier adapters own
    const claimedBy = []; // [adapter, its block selector]: each tried alone, never joined up
    const isClaimed = (el) => {
      if (claimed.size === 0) return false;
      for (let node = el; node; node = node.parentElement) if (claimed.has(node)) return true;
      return false;
    };
    for (const adapter of [...this.active, this.generic]) {
      if (!adapter || isDisabled(adapter)) continue;
      const found = guarded(adapter, () => rootsOf(adapter, this.doc, isClaimed), null);
      if (!found) continue; // it threw: skipped, with one warning; the others still run
      const owned = [];
      for (const root of found) {
        if (roots.has(root) || isOurs(root) || isClaimed(root)) continue;
        // A root around one already claimed belongs to that block.
        if (claimedBy.some(([owner, selector]) => guarded(owner, () => root.querySelector(selector), null))) continue;
        roots.set(root, adapter);
        owned.push(root);
      }
      for (const root of owned) claimed.add(root);
      if (adapter.block) claimedBy.push([adapter, adapter.block]);
    }
    return roots;
  }

  /** Scan again soon (an adapter was switched off: the others may now own its blocks). */
  rescan() {
    this.schedule(0);
  }

  scan(initial) {
    const now = performance.now();
    const roots = this.findRoots();
    for (const [root, tracker] of this.trackers) {
      if (!roots.has(root)) {
        this.trackers.delete(root);
        this.callbacks.onGone(root);
      }
    }
    let nextCheck = Infinity;
    const ready = [];
    for (const [root, adapter] of roots) {
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
        continue;
      }
      const quietFor = now - tracker.changedAt;
      if (quietFor >= QUIET_MS) {
        // Ready blocks are reported on every change too: the panel follows edits and re-renders.
        if (!tracker.ready || tracker.reportedText !== text) {
          tracker.ready = true;
          tracker.reportedText = text;
          ready.push([root, adapter]);
        }
      } else {
        nextCheck = Math.min(nextCheck, QUIET_MS - quietFor);
      }
    }
    if (ready.length) this.callbacks.onReady(ready, now);
    if (nextCheck !== Infinity) {
      clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(asTask(() => this.scan(false), 'scan when quiet'), Math.ceil(nextCheck) + 10);
    }
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
  if (adapter.find) return adapter.find(scope, isClaimed).map((block) => block.root);
  return Array.from(scope.querySelectorAll(adapter.block));
}
