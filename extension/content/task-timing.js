// The content script's own tasks in the page's performance timeline, as 'chatrun:task' measures:
// scripts/bench page reads the longest and the total (a task over 16 ms drops a frame).
// Wrap only what starts a task (a timer, an observer, a listener), never what such a task calls.
// `what` names the task in the measure's detail.
let current = 0; // when the task running now began (the outermost wrapped function's start)

export function asTask(fn, what = fn.name) {
  return function task(...args) {
    const start = performance.now();
    const outer = current;
    current ||= start;
    try {
      return fn.apply(this, args);
    } finally {
      current = outer;
      performance.measure('chatrun:task', { start, detail: what });
    }
  };
}

/** When the content script's task running now began: budgets count the time it has spent. */
export function taskStart() {
  return current || performance.now();
}
