// Full panels where the reader is. The caller says where a new block slot is: on screen (filled
// now, in the caller's task: the next frame shows it), near the screen (filled in the next tasks,
// without waiting for a frame) or far. Every slot not yet full is watched by one
// IntersectionObserver whose margin reaches a screen above and below the viewport, and filled when
// it comes that near, nearest first; a scroll (End, a link, the scroll bar) fills the hosts it
// shows in its scroll event, before the frame that draws them. Filling only writes: what a panel
// needs to read (its theme, the boxes) is read before, so no fill makes the browser lay out the
// page in its task.
import { asTask, taskStart } from './task-timing.js';
import { SLICE_MS, nextTask } from './time-slice.js';
import { NEAR_SCREENS, firstBox, inView } from './viewport-order.js';

// The panels on screen are that frame's content: the task that finds them may go on filling them
// for this long from its start (the scan's slice included), still well under 16 ms; the rest
// wait for the next task.
const ON_SCREEN_MS = 12;

const NEAR = '100% 0px'; // one viewport height above and below

export const PLACE = Object.freeze({ screen: 'screen', near: 'near', far: 'far' });

export class NearViewport {
  constructor() {
    this.slots = new Map(); // host -> slot not yet full
    this.queue = []; // slots to fill in the next tasks, nearest first
    this.now = []; // slots on screen, to fill in this task (fillNow)
    this.posted = false; // a task to go on filling the queue is posted
    this.observer = null;
    this.onScroll = null;
    this.fillTask = asTask(() => {
      this.posted = false;
      this.fill(performance.now() + SLICE_MS);
    }, 'fill near panels');
  }

  /** `place` (PLACE): on screen, the slot is filled at the next fillNow(); near, in the next
   *  tasks; far, when the observer or a scroll finds it near. */
  watch(slot, place = PLACE.far) {
    if (slot.full) return;
    if (!this.slots.has(slot.host)) {
      this.observer ||= new IntersectionObserver(asTask((entries) => this.onEntries(entries), 'fill near panels'), { rootMargin: NEAR });
      this.slots.set(slot.host, slot);
      this.observer.observe(slot.host);
    }
    if (place === PLACE.screen) this.now.push(slot);
    else if (place === PLACE.near) this.queue.push(slot);
    if (!this.onScroll) {
      this.onScroll = asTask(() => this.fillShown(), 'fill on scroll');
      // Capture: chat apps scroll a container, whose scroll events do not bubble.
      addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    }
  }

  forget(slot) {
    if (this.slots.delete(slot.host)) this.observer.unobserve(slot.host);
  }

  /** Fill the slots watched as on screen since the last call, now (up to ON_SCREEN_MS from the
   *  task's start, the rest first in the queue); the near ones follow in the next tasks. */
  fillNow(start = taskStart()) {
    const count = this.now.length;
    this.queue = [...this.now, ...this.queue];
    this.now = [];
    this.fill(start + ON_SCREEN_MS, count);
  }

  /** After a scroll: the light hosts on screen are filled now, then those near it (NEAR_SCREENS).
   *  Hosts are in page order, so a binary search finds the first; all boxes are read before any
   *  panel is built (one layout, not one per panel). */
  fillShown() {
    if (!this.slots.size) return;
    const start = taskStart();
    const height = window.innerHeight;
    const margin = height * NEAR_SCREENS;
    const hosts = document.querySelectorAll('[data-code-runner]');
    const [shown, near] = [[], []];
    for (let i = firstBox(hosts, (box) => box.bottom >= -margin); i < hosts.length; i++) {
      const slot = this.slots.get(hosts[i]);
      if (!slot) {
        if (hosts[i].getBoundingClientRect().top > height + margin) break;
        continue;
      }
      const box = slot.root.getBoundingClientRect(); // the block: its host is below it
      if (box.top >= height + margin) break;
      (inView(box, height) ? shown : near).push(slot);
    }
    if (!shown.length && !near.length) return;
    // All of them now if they fit: the scroll's task does nothing else.
    this.queue = [...shown, ...near, ...this.queue];
    this.fill(start + ON_SCREEN_MS);
  }

  // Those on screen first; the others after the ones a scroll or the scan already queued (on
  // screen or within NEAR_SCREENS: nearer than the observer's margin), nearest first.
  onEntries(entries) {
    const near = entries.filter((entry) => entry.isIntersecting && this.slots.has(entry.target))
      .map((entry) => [distance(entry), this.slots.get(entry.target)])
      .sort((a, b) => a[0] - b[0]);
    if (!near.length) return;
    const shown = near.filter(([d]) => d === 0).map(([, slot]) => slot);
    const rest = near.filter(([d]) => d > 0).map(([, slot]) => slot);
    this.queue = [...shown, ...this.queue, ...rest];
    this.fill(performance.now() + SLICE_MS);
  }

  /** Build full panels from the first `most` slots of the queue until `end`, at least one (the
   *  first panel on screen never waits); what is left goes on in a task of its own. */
  fill(end, most = Infinity) {
    for (let taken = 0; this.queue.length && taken < most; taken++) {
      const slot = this.queue.shift();
      if (!this.slots.has(slot.host)) continue;
      this.forget(slot);
      if (!slot.root.isConnected) continue;
      slot.upgrade();
      if (performance.now() >= end) break;
    }
    if (this.queue.length && !this.posted) {
      this.posted = true;
      nextTask(this.fillTask, 'user-blocking'); // panels the reader sees or is about to: before other tasks
    }
  }
}

// How far outside the viewport an entry's target is (0: on screen).
function distance({ boundingClientRect: box }) {
  if (box.bottom < 0) return -box.bottom;
  return Math.max(0, box.top - window.innerHeight);
}
