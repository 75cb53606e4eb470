// Marks of a run's hops on the page's timeline (shared/timing.js), for profilers and the bench.
import { HOPS, MARK_PREFIX, clock } from '../shared/timing.js';

const FRAME_BEGIN = 'frame-begin'; // not a hop: it may come before the DOM write

export function markHop(hop, at = clock()) {
  performance.mark(MARK_PREFIX + hop, { startTime: Math.max(0, at - performance.timeOrigin) });
}

/** A new run: forget the last one's marks. */
export function startMarks() {
  for (const hop of [...HOPS, FRAME_BEGIN]) performance.clearMarks(MARK_PREFIX + hop);
  markHop('click');
}

/** The hops timed in the offscreen document and the worker, then the page's own. */
export function finishMarks(timing) {
  for (const [hop, at] of Object.entries(timing || {})) markHop(hop, at);
  markHop('dom');
  // When that frame began too: its callbacks may run later, after other work of the page.
  requestAnimationFrame((begin) => {
    markHop(FRAME_BEGIN, performance.timeOrigin + begin);
    markHop('frame');
  });
}

/**
 * `task` once the next frame is on screen (a task after its animation frame callbacks), or after
 * 100 ms in a hidden tab, where no frame comes.
 */
export function afterNextFrame(task) {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    task();
  };
  const fallback = setTimeout(once, 100);
  requestAnimationFrame(() => {
    clearTimeout(fallback);
    setTimeout(once, 0);
  });
}
