"""Per-run latency, hop by hop: a warm JavaScript run and a warm Python run, from the trusted click
to the output in the panel's DOM and to the next frame, beside a plain page Worker that writes
its result to the DOM and waits one frame, in the same browser. The breakdown comes from the
marks each run leaves on the page's timeline (extension/shared/timing.js). Prints numbers.

Run: scripts/bench latency
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bench_extension import pct, report  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import BlankPage, set_settings  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

REPEAT = 30
HOPS = ["click", "sent", "offscreen", "worker", "code-start", "code-done", "replied", "received", "dom", "frame"]

# t0: the trusted click reaching the page (capture listener), before the panel's own handler.
_ARM = """
window.__t0 = null;
document.addEventListener('click', () => { window.__t0 = performance.now(); }, {capture: true, once: true});
for (const e of performance.getEntriesByType('mark')) if (e.name.startsWith('chatrun:')) performance.clearMarks(e.name);
"""

_READ = """
const done = arguments[0];
const read = () => {
  const marks = {};
  for (const e of performance.getEntriesByType('mark')) if (e.name.startsWith('chatrun:')) marks[e.name.slice(8)] = e.startTime;
  return {t0: window.__t0, marks};
};
if (performance.getEntriesByName('chatrun:frame').length) done(read());
else new PerformanceObserver((list, observer) => {
  if (!list.getEntriesByName('chatrun:frame').length) return;
  observer.disconnect();
  done(read());
}).observe({type: 'mark'});
"""

# The platform's floor, started the same way: a trusted click on a page button creates a new
# Worker in the plain page; its answer is written to the DOM, then one frame.
_BASELINE_ARM = """
const src = "self.onmessage = e => { const logs = []; const console = {log: (...a) => logs.push(a.join(' '))};" +
  " (0, eval)(e.data); self.postMessage(logs.join(' ')); };";
const url = URL.createObjectURL(new Blob([src], {type: 'text/javascript'}));
const out = Object.assign(document.createElement('pre'), {id: 'baseline-out'});
const button = Object.assign(document.createElement('button'), {id: 'baseline', textContent: 'Baseline'});
document.body.append(button, out);
button.addEventListener('click', () => {
  const t0 = performance.now();
  window.__baseline = null;
  const w = new Worker(url);
  w.onmessage = (e) => {
    out.textContent = e.data;
    const dom = performance.now() - t0;
    requestAnimationFrame(() => { window.__baseline = {dom, frame: performance.now() - t0}; w.terminate(); });
  };
  w.postMessage("console.log(1 + 1)");
});
"""

_BASELINE_WAIT = """
const done = arguments[0];
const check = () => (window.__baseline ? done(window.__baseline) : setTimeout(check, 2));
check();
"""


def timed_run(driver, panel):
    """Click Run for real and wait (without polling the page) for the run's last mark."""
    driver.execute_script(_ARM)
    panel.click("run")
    return driver.execute_async_script(_READ)


def measure(driver, page, language, code):
    panel = page.add_block(language, code)
    assert panel.run(120) == "success", panel.stream("error")  # warm the runtime
    runs = [timed_run(driver, panel) for _ in range(REPEAT)]
    dom = [r["marks"]["dom"] - r["t0"] for r in runs]
    frame = [r["marks"]["frame"] - r["t0"] for r in runs]
    hops = {}
    for before, after in zip(HOPS, HOPS[1:]):
        values = [r["marks"][after] - r["marks"][before] for r in runs if before in r["marks"] and after in r["marks"]]
        if values:
            hops[f"{before} -> {after}"] = values
    return dom, frame, hops


def main():
    with PageServer(REPO / "tests" / "fixtures") as server:
        driver, profile = start_browser()
        try:
            set_settings(driver, {"preloadRuntimes": True})
            page = BlankPage(driver, server.url("pages/blank.html")).open()
            results = {
                "JavaScript": measure(driver, page, "javascript", "console.log(1 + 1)"),
                "Python": measure(driver, page, "python", "print(1 + 1)"),
            }
            driver.execute_script(_BASELINE_ARM)
            button = driver.find_element("id", "baseline")
            base = []
            for _ in range(REPEAT):
                button.click()
                base.append(driver.execute_async_script(_BASELINE_WAIT))
        finally:
            stop_browser(driver, profile)
    base_frame = [b["frame"] for b in base]
    print("Per-run latency, warm, click -> output (page-side timing, n=%d each):" % REPEAT)
    report("baseline: new plain Worker -> DOM", [b["dom"] for b in base])
    report("baseline: new plain Worker -> DOM -> frame", base_frame)
    for name, (dom, frame, hops) in results.items():
        report(f"{name}: click -> output in the DOM", dom)
        report(f"{name}: click -> next frame", frame)
        print(f"  {f'  {name} / baseline (frame, p50)':<44} {pct(frame, 50) / pct(base_frame, 50):8.2f}x")
        for hop, values in hops.items():
            print(f"      {hop:<40} p50={statistics.median(values):7.2f} ms")


if __name__ == "__main__":
    main()
