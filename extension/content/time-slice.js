// Long work in slices: each task does at most SLICE_MS of it, then gives the main thread back to
// the page (input, frames) and goes on in a new task. A slice boundary falls between two steps
// of an iterator, so a step must be small (one block, one candidate element).
import { asTask } from './task-timing.js';

export const SLICE_MS = 5; // with the frame's own work, well inside 16 ms

// A new task without setTimeout's 4 ms clamp (nested timers after the fifth), which would leave
// the main thread idle between slices: the platform's task scheduler where the browser has it,
// with its priority ('user-visible'; 'user-blocking': before the others; 'background': only when
// nothing else waits).
export const nextTask = globalThis.scheduler?.postTask
  ? (fn, priority = 'user-visible') => globalThis.scheduler.postTask(fn, { priority }).catch(() => {})
  : (() => {
    const channel = new MessageChannel();
    const queue = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return (fn) => { // no priorities here
      queue.push(fn);
      channel.port2.postMessage(null);
    };
  })();

/**
 * Runs `steps` (an iterator: each `next()` does one small unit of work) in tasks of about
 * `budget` ms each (SLICE_MS), or until `enough()` says so. `beforePause()` runs at the end of
 * every slice (write what the slice found: DOM reads and writes not interleaved), `onDone()` once
 * the iterator is finished. `what` names the tasks (task-timing.js); `priority` is the slices'
 * after the first (nextTask). `budget` and `priority` may be functions, asked at each step and
 * at each pause: what the work is at now may change them.
 */
export class SlicedJob {
  constructor(steps, what, { beforePause = () => {}, onDone = () => {}, enough = () => false, budget = SLICE_MS, priority } = {}) {
    Object.assign(this, { steps, beforePause, onDone, enough, budget, priority, cancelled: false, done: false });
    this.task = asTask(() => this.slice(), what);
  }

  /** The first slice runs in the caller's task (`start`: when that task began: its budget
   *  counts the time already spent); the others in tasks of their own. */
  run(start = performance.now()) {
    this.slice(start);
    return this;
  }

  cancel() {
    this.cancelled = true;
  }

  slice(start = performance.now()) {
    if (this.cancelled || this.done) return;
    const budget = typeof this.budget === 'function' ? this.budget : () => this.budget;
    let finished = false;
    do {
      finished = this.steps.next().done;
    } while (!finished && !this.cancelled && !this.enough() && performance.now() < start + budget());
    this.beforePause();
    if (this.cancelled) return;
    if (finished) {
      this.done = true;
      this.onDone();
    } else {
      nextTask(this.task, typeof this.priority === 'function' ? this.priority() : this.priority);
    }
  }
}
