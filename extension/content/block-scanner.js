// Finds code blocks as the page changes and reports each one once it is complete.
// One batched MutationObserver; each batch costs one querySelectorAll per active adapter.
import { SITE_ADAPTERS, GENERIC_ADAPTER } from './adapters/index.js';

const SCAN_DELAY_MS = 80; // batch bursts of mutations (streaming tokens) into one scan
export const QUIET_MS = 600; // a block whose text has not changed this long is complete

export class BlockScanner {
  /** @param {{onReady(blocks: Array<[root, adapter]>): void, onGone(root): void}} callbacks */
  constructor(callbacks, { hostname = location.hostname, document: doc = window.document } = {}) {
    this.callbacks = callbacks;
    this.doc = doc;
    this.hostname = hostname;
    this.active = SITE_ADAPTERS.filter((a) => a.hosts.some((h) => hostname === h || hostname.endsWith(`.${h}`)));
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
    this.observer = new MutationObserver((records) => {
      if (records.every((r) => isOurs(r.target))) return;
      this.schedule(SCAN_DELAY_MS);
    });
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
    this.timer = setTimeout(() => {
      this.timer = null;
      this.scan(false);
    }, delay);
  }

  activateBySignature() {
    for (const adapter of SITE_ADAPTERS) {
      if (this.active.includes(adapter) || !adapter.signature) continue;
      if (this.doc.querySelector(adapter.signature)) this.active.push(adapter);
    }
  }

  /** Block roots on the page, each with the adapter that owns it (site adapters first). */
  findRoots() {
    // Cheap exit for the common page without any code.
    if (!this.doc.querySelector('pre, code, .cm-content')) return new Map();
    this.activateBySignature();
    const roots = new Map();
    let claimed = null; // selector of the roots earlier adapters own
    for (const adapter of [...this.active, GENERIC_ADAPTER]) {
      for (const root of this.doc.querySelectorAll(adapter.block)) {
        if (roots.has(root) || isOurs(root)) continue;
        // A root inside (or around) one already claimed belongs to that block.
        if (claimed && (root.parentElement?.closest(claimed) || root.querySelector(claimed))) continue;
        roots.set(root, adapter);
      }
      claimed = claimed ? `${claimed}, ${adapter.block}` : adapter.block;
    }
    return roots;
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
      if (!tracker) {
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
    if (ready.length) this.callbacks.onReady(ready);
    if (nextCheck !== Infinity) {
      clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => this.scan(false), Math.ceil(nextCheck) + 10);
    }
  }
}

function isOurs(node) {
  const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return Boolean(el && el.closest('[data-code-runner]'));
}

function isStreaming(root, adapter) {
  return Boolean(adapter.streaming && root.closest(adapter.streaming));
}
