// Full panels where the reader is: a block slot is watched by one IntersectionObserver whose
// margin reaches a screen above and below the viewport, and filled when it comes that near,
// nearest first, SLICE_MS of them per task so no task drops a frame. Hosts on screen do not
// wait for the observer (it reports after a frame is drawn): new hosts are looked at just before
// the next frame, and a jump (End, a link, the scroll bar) fills the hosts it shows in its scroll
// event; those that do not fit in the budget (ON_SCREEN_MS) come in the next tasks.
import { asTask } from './task-timing.js';
import { SLICE_MS, nextTask } from './time-slice.js';
import { firstBox } from './viewport-order.js';

// Filling the panels on screen in a frame's own rendering step (a scroll event, an animation
// frame callback) may take longer than a slice: they are what that frame shows. Still, finding
// them included and one panel over it, under 16 ms.
const ON_SCREEN_MS = 8;

const NEAR = '100% 0px'; // one viewport height above and below

export class NearViewport {
  constructor() {
    this.slots = new Map(); // host -> slot not yet full
    this.queue = []; // [slot, distance from the viewport] come near, not yet filled, nearest first
    this.posted = false; // a task to go on filling the queue is posted
    this.fresh = []; // slots watched since the last frame: on screen yet?
    this.frame = 0;
    this.observer = null;
    this.onScroll = null;
    this.fillTask = asTask(() => {
      this.posted = false;
      this.fill();
    }, 'fill near panels');
    this.frameTask = asTask(() => {
      this.frame = 0;
      this.fillFresh();
    }, 'fill new panels on screen');
  }

  /** `onScreen`: the block may be on screen (false: the scan knows it is not; the observer
   *  will say when it comes near). */
  watch(slot, onScreen = true) {
    if (slot.full || this.slots.has(slot.host)) return;
    this.observer ||= new IntersectionObserver(asTask((entries) => this.onEntries(entries), 'fill near panels'), { rootMargin: NEAR });
    this.slots.set(slot.host, slot);
    this.observer.observe(slot.host);
    if (onScreen) {
      this.fresh.push(slot);
      this.frame ||= requestAnimationFrame(this.frameTask);
    }
    if (!this.onScroll) {
      this.onScroll = asTask(() => this.fillOnScreen(), 'fill on scroll');
      // Capture: chat apps scroll a container, whose scroll events do not bubble.
      addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    }
  }

  forget(slot) {
    if (this.slots.delete(slot.host)) this.observer.unobserve(slot.host);
  }

  /** Before the frame that first draws them: fill the new hosts whose blocks are on screen. */
  fillFresh() {
    const start = performance.now();
    const fresh = this.fresh.filter((slot) => this.slots.has(slot.host));
    this.fresh = [];
    const shown = fresh.filter((slot) => {
      const box = slot.root.getBoundingClientRect();
      return box.bottom > 0 && box.top < window.innerHeight && (box.width || box.height);
    });
    this.fillNow(shown, start);
  }

  /** Fill the light hosts on screen now: hosts are in page order, so a binary search finds the
   *  first, and all are read before any is filled (one layout, not one per panel). */
  fillOnScreen() {
    if (!this.slots.size) return;
    const start = performance.now();
    const hosts = document.querySelectorAll('[data-code-runner]');
    const shown = [];
    for (let i = firstBox(hosts, (box) => box.bottom >= 0); i < hosts.length && hosts[i].getBoundingClientRect().top <= window.innerHeight; i++) {
      const slot = this.slots.get(hosts[i]);
      if (slot) shown.push(slot);
    }
    this.fillNow(shown, start);
  }

  // On screen: as many as the budget (from `start`, when finding them began) allows now, the
  // others first in the queue.
  fillNow(shown, start) {
    if (!shown.length) return;
    this.queue = [...shown.map((slot) => [slot, 0]), ...this.queue];
    this.fill(start + ON_SCREEN_MS);
  }

  onEntries(entries) {
    for (const entry of entries) {
      const slot = entry.isIntersecting && this.slots.get(entry.target);
      if (slot) this.queue.push([slot, distance(entry)]);
    }
    this.queue.sort((a, b) => a[1] - b[1]);
    this.fill();
  }

  fill(end = performance.now() + SLICE_MS) {
    const memo = new Map();
    // At least one: the first panel on screen never waits for a frame.
    while (this.queue.length) {
      const [slot] = this.queue.shift();
      if (!this.slots.has(slot.host)) continue;
      this.forget(slot);
      if (!slot.root.isConnected) continue;
      slot.upgrade(memo);
      if (performance.now() >= end) break;
    }
    if (this.queue.length && !this.posted) {
      this.posted = true;
      nextTask(this.fillTask);
    }
  }
}

// How far outside the viewport an entry's target is (0: on screen).
function distance({ boundingClientRect: box }) {
  if (box.bottom < 0) return -box.bottom;
  return Math.max(0, box.top - window.innerHeight);
}
