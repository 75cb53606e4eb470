// The content script's own tasks in the page's performance timeline, as 'chatrun:task' measures:
// scripts/bench page reads the longest and the total (a task over 16 ms drops a frame).
// Wrap only what starts a task (a timer, an observer, a listener), never what such a task calls.
// `what` names the task in the measure's detail.
export function asTask(fn, what = fn.name) {
  return function task(...args) {
    const start = performance.now();
    try {
      return fn.apply(this, args);
    } finally {
      performance.measure('chatrun:task', { start, detail: what });
    }
  };
}
