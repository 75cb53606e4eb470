// Full panels where the reader is: a block slot is watched by one IntersectionObserver whose
// margin reaches a screen above and below the viewport, and filled when it comes that near —
// the ones on screen at once, the others a few per task so no task drops a frame. A jump (End,
// a link, the scroll bar) fills the hosts it shows in its scroll event, before that frame is drawn.
import { asTask } from './task-timing.js';

const NEAR = '100% 0px'; // one viewport height above and below
const BUDGET_MS = 6; // per task: with one panel over it, still well inside a 16 ms frame

export class NearViewport {
  constructor() {
    this.slots = new Map(); // host -> slot not yet full
    this.queue = []; // [slot, distance from the viewport] come near, not yet filled
    this.timer = null;
    this.observer = null;
    this.onScroll = null;
  }

  watch(slot) {
    if (slot.full || this.slots.has(slot.host)) return;
    this.observer ||= new IntersectionObserver(asTask((entries) => this.onEntries(entries), 'fill near panels'), { rootMargin: NEAR });
    this.slots.set(slot.host, slot);
    this.observer.observe(slot.host);
    if (!this.onScroll) {
      this.onScroll = asTask(() => this.fillOnScreen(), 'fill on scroll');
      // Capture: chat apps scroll a container, whose scroll events do not bubble.
      addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    }
  }

  forget(slot) {
    if (this.slots.delete(slot.host)) this.observer.unobserve(slot.host);
  }

  /** Fill the light hosts on screen now: hosts are in page order, so a binary search finds the
   *  first, and all are read before any is filled (one layout, not one per panel). */
  fillOnScreen() {
    if (!this.slots.size) return;
    const hosts = document.querySelectorAll('[data-code-runner]');
    let [low, high] = [0, hosts.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (hosts[middle].getBoundingClientRect().bottom >= 0) high = middle;
      else low = middle + 1;
    }
    const shown = [];
    for (let i = low; i < hosts.length && hosts[i].getBoundingClientRect().top <= window.innerHeight; i++) {
      const slot = this.slots.get(hosts[i]);
      if (slot) shown.push(slot);
    }
    const memo = new Map();
    for (const slot of shown) {
      this.forget(slot);
      if (slot.root.isConnected) slot.upgrade(memo);
    }
  }

  onEntries(entries) {
    for (const entry of entries) {
      const slot = entry.isIntersecting && this.slots.get(entry.target);
      if (slot) this.queue.push([slot, distance(entry)]);
    }
    this.queue.sort((a, b) => a[1] - b[1]);
    this.fill();
  }

  fill() {
    this.timer = null;
    const end = performance.now() + BUDGET_MS;
    const memo = new Map();
    // Those on screen all at once (a screenful is a few panels): none shows a frame late.
    while (this.queue.length && (this.queue[0][1] === 0 || performance.now() < end)) {
      const [slot] = this.queue.shift();
      if (!this.slots.has(slot.host)) continue;
      this.forget(slot);
      if (slot.root.isConnected) slot.upgrade(memo);
    }
    if (this.queue.length && !this.timer) this.timer = setTimeout(asTask(() => this.fill(), 'fill near panels'), 0);
  }
}

// How far outside the viewport an entry's target is (0: on screen).
function distance({ boundingClientRect: box }) {
  if (box.bottom < 0) return -box.bottom;
  return Math.max(0, box.top - window.innerHeight);
}
