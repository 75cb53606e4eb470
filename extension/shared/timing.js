// The hops of one run on one clock. Every context's `performance.timeOrigin + performance.now()`
// reads the same wall clock, so times taken in the offscreen document and in a worker can be put
// on the page's own timeline as marks (performance.mark with a startTime): a profiler, or
// `scripts/bench`, sees click → sent → offscreen → worker → code → reply → DOM → frame.
export const MARK_PREFIX = 'chatrun:';

// In order of a run's life; each is a mark `chatrun:<hop>`.
export const HOPS = Object.freeze([
  'click', // the panel's Run (or shortcut) was pressed
  'sent', // the run request left the page
  'offscreen', // the offscreen document received it
  'sandbox', // JavaScript: the sandbox page received it
  'prepared', // JavaScript: the sandbox prepared the code (TypeScript, syntax check)
  'worker', // the runner's worker received it
  'code-start', // the user's code starts
  'code-done', // the user's code is done
  'replied', // the offscreen document sent the result
  'received', // the page received it
  'dom', // the final state is in the panel's DOM
  'frame', // the next frame: the output is on screen
]);

/** Now, as an absolute time in ms (comparable across contexts). */
export function clock() {
  return performance.timeOrigin + performance.now();
}

/** The finite-number fields of a result's `timing`, or undefined. */
export function checkedTiming(timing) {
  if (!timing || typeof timing !== 'object') return undefined;
  const kept = Object.fromEntries(Object.entries(timing).filter(([hop, at]) => HOPS.includes(hop) && Number.isFinite(at)));
  return Object.keys(kept).length ? kept : undefined;
}
