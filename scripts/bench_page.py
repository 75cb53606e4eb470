"""What the content script costs a chat page (issue 14, "The content script costs nothing").

Three pages, each opened RUNS times in one headless Chromium with the extension:
- a page without code blocks: the content script's evaluation (marks the bundle's first and last
  lines set) and its tasks;
- the 1,000-block page (tests/fixtures/pages/many-blocks.html: 1,000 <pre> blocks and 200 without
  one): the longest task of the content script ('chatrun:task' measures, extension/content/
  task-timing.js), long tasks (PerformanceObserver 'longtask', installed before the page's first
  script) overlapping one, when the first panel and all panels of blocks in and near the viewport
  are there, when every block has its host, and how many frames a panel is late after a jump to a
  part of the page not seen yet;
- a 20 KB answer streaming in (tests/fixtures/chat-pages/streaming.html, each of its three modes,
  50 chunks per second, the window following the newest text): the content script's main-thread
  time, its longest task, long tasks it caused.
Each task of the content script is given in wall time and in CPU (thread) time, from a trace of
the browser (scripts/trace_cpu.py): on a loaded machine a task's wall time grows by whatever else
ran on its core meanwhile. Each part prints the load average while it ran.

Run: scripts/bench page [runs] [blank|many|stream ...] [--before EXTENSION_DIR]
(after scripts/setup --browser). --before: an earlier built extension folder, measured in the
same run, the two taking turns, for a before/after comparison on the same machine load.
"""
from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bench_extension import load_average, pct  # noqa: E402
from scripts.trace_cpu import Trace, content_tasks  # noqa: E402
from tests.e2e.browser import EXTENSION_DIR, start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import ChatPage  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

RUNS = next((int(a) for a in sys.argv[1:] if a.isdigit()), 20)  # scripts/bench page [runs] [parts] [--before DIR]
JUMPS = 5  # per load of the 1,000-block page
NEAR_SCREENS = 1.5  # "near the viewport": on screen or within half a screen below it
# 50 chunks of 160 characters a second; the page follows the newest text, as chat apps do.
STREAM = "chat-pages/streaming.html?mode={mode}&size=20000&chunk=160&delay=20&start=300&follow=1"

# In the page's main world before its first script: every long task, and on the 1,000-block page,
# frame by frame, whether the blocks on screen (and within half a screen below: "near") have a full panel.
_AT_START = """
window.__bench = {longTasks: [], firstPanel: null, visibleDone: null, nearDone: null, frames: []};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) __bench.longTasks.push([e.startTime, e.duration]);
}).observe({type: 'longtask', buffered: true});
// The blocks (in page order, so top to bottom) that are on screen, or within NEAR screens below it.
window.__benchBlocks = (blocks, screens) => {
  const first = (y) => { let lo = 0, hi = blocks.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (blocks[mid].getBoundingClientRect().bottom > y) hi = mid; else lo = mid + 1; }
    return lo; };
  const start = first(0), end = first(screens * innerHeight);
  const out = blocks.slice(start, end + 1);
  return out.filter((b) => b.getBoundingClientRect().top < screens * innerHeight);
};
window.__benchFull = (b) => { const h = b.nextElementSibling;
  return Boolean(h && h.matches('[data-code-runner]') && h.shadowRoot && h.shadowRoot.querySelector('[data-action=run]')); };
if (location.pathname.endsWith('many-blocks.html')) {
  let blocks = null;
  const frame = () => {
    blocks ||= Array.from(document.querySelectorAll('article > pre, article > .code-block, article > .frame'));
    const visible = __benchBlocks(blocks, 1), near = __benchBlocks(blocks, NEAR);
    const now = performance.now(), b = __bench;
    b.frames.push(now);
    if (b.firstPanel === null && visible.some(__benchFull)) b.firstPanel = now;
    if (b.visibleDone === null && visible.every(__benchFull)) b.visibleDone = now;
    if (b.nearDone === null && near.every(__benchFull)) b.nearDone = now;
    if (b.nearDone === null && now < 20000) requestAnimationFrame(frame);
  };
  document.addEventListener('DOMContentLoaded', () => requestAnimationFrame(frame));
}
""".replace("NEAR", str(NEAR_SCREENS))

# The content script's own numbers, read after the page went idle.
_TASKS = """
const since = arguments[0] || 0;
const tasks = performance.getEntriesByName('chatrun:task').filter((t) => t.startTime >= since);
const start = performance.getEntriesByName('chatrun:script-start')[0];
const end = performance.getEntriesByName('chatrun:script-end')[0];
const inside = ([s, d]) => tasks.filter((t) => t.startTime >= s && t.startTime < s + d);
const overlapping = __bench.longTasks.filter((lt) => inside(lt).length);
// Caused by the content script: its own tasks took over half of the long task (a mutation
// observer's callback runs at the end of the page's task that made the mutations).
const caused = __bench.longTasks.filter((lt) => inside(lt).reduce((sum, t) => sum + t.duration, 0) > lt[1] / 2);
const boot = performance.getEntriesByName('chatrun:task').find((t) => t.detail === 'boot');
const early = [performance.getEntriesByName('chatrun:early-start')[0], performance.getEntriesByName('chatrun:early-end')[0]];
return {
  evaluation: start && end ? end.startTime - start.startTime : null,
  // The document_start part (it only starts the settings read), where the build has one.
  earlyEvaluation: early[0] && early[1] ? early[1].startTime - early[0].startTime : null,
  // From the bundle's first line to the end of boot's task (it applies the settings and posts
  // the first scan, a task of its own).
  booted: start && boot ? boot.startTime + boot.duration - start.startTime : null,
  scriptStart: start ? start.startTime : null,
  longest: Math.max(0, ...tasks.map((t) => t.duration)),
  longestWhat: tasks.reduce((a, t) => (a && a.duration >= t.duration ? a : t), null)?.detail ?? null,
  total: tasks.reduce((sum, t) => sum + t.duration, 0),
  over16: tasks.filter((t) => t.duration > 16).length,
  longTasks: __bench.longTasks.length,
  ours: overlapping.length,
  caused: caused.length,
  firstPanel: __bench.firstPanel, visibleDone: __bench.visibleDone, nearDone: __bench.nearDone,
  // Frames that began after the script's first line and showed no panel on screen yet.
  framesBefore: start && __bench.firstPanel !== null ? __bench.frames.filter((t) => t > start.startTime && t < __bench.firstPanel).length : null,
};
"""

# Jump to a part of the page not seen yet: frames (rAF) in which a block on screen shows no full
# panel, and ms until every block on screen and within half a screen below has one.
_JUMP = """
const [fraction, done] = [arguments[0], arguments[arguments.length - 1]];
const blocks = Array.from(document.querySelectorAll('article > pre, article > .code-block, article > .frame'));
scrollTo(0, fraction * (document.documentElement.scrollHeight - innerHeight));
const t0 = performance.now();
let late = 0;
const frame = () => {
  if (!__benchBlocks(blocks, 1).every(__benchFull)) late++;
  if (__benchBlocks(blocks, NEAR).every(__benchFull)) done([late, performance.now() - t0]);
  else if (performance.now() - t0 > 5000) done([late, null]);
  else requestAnimationFrame(frame);
};
requestAnimationFrame(frame);
""".replace("NEAR", str(NEAR_SCREENS))


_LAST_FULL = "const h = Array.from(document.querySelectorAll('[data-code-runner]')).pop(); return Boolean(h && h.shadowRoot);"


def line(name, values, unit="ms", fmt="8.2f"):
    values = [v for v in values if v is not None]
    if not values:
        print(f"  {name:<62} (no value)")
        return
    print(f"  {name:<62} n={len(values):>3}  p50={pct(values, 50):{fmt}} {unit}  max={max(values):{fmt}} {unit}")


def with_cpu(row, trace):
    """`row` with the content script's tasks in `trace` in thread (CPU) time: what the machine's
    load cannot stretch (scripts/trace_cpu.py)."""
    row["load"] = os.getloadavg()[0]
    tasks = content_tasks(trace.events)
    cpu = [c for _, c, _ in tasks]
    longest = max(tasks, key=lambda t: t[1], default=(0, 0, None))
    row.update(cpuLongest=longest[1], cpuLongestWhat=longest[2], cpuOver16=sum(c > 16 for c in cpu), cpuTotal=sum(cpu))
    return row


def cpu_lines(rows, indent=""):
    line(f"{indent}content-script longest task, CPU time", [r["cpuLongest"] for r in rows])
    named(f"{indent}  the longest was", [r["cpuLongestWhat"] for r in rows])
    line(f"{indent}content-script tasks over 16 ms of CPU time (count)", [r["cpuOver16"] for r in rows], "", "4.0f")
    line(f"{indent}content-script tasks, total CPU time", [r["cpuTotal"] for r in rows])


def named(name, rows):
    """Which of the content script's tasks was the longest, counted over the loads."""
    counts = {}
    for what in rows:
        counts[what] = counts.get(what, 0) + 1
    print(f"  {name:<62} " + ", ".join(f"{w} x{n}" for w, n in sorted(counts.items(), key=lambda i: -i[1])))


def measure_blank(driver, server, runs, rows):
    page = ChatPage(driver, server.url("pages/blank.html"))
    for _ in range(runs):
        with Trace(driver) as trace:
            page.open()
            time.sleep(0.5)  # idle: the scan scheduled at load has run
            row = driver.execute_script(_TASKS)
        rows.append(with_cpu(row, trace))


def report_blank(rows):
    print(f"Page without code blocks (pages/blank.html), load average {loads(rows)}:")
    line("content-script evaluation (bundle's first -> last line)", [r["evaluation"] for r in rows])
    line("its document_start part's evaluation (settings read begun)", [r["earlyEvaluation"] for r in rows])
    line("bundle's first line -> boot's task done (settings applied)", [r["booted"] for r in rows])
    line("content-script tasks, total main-thread time", [r["total"] for r in rows])
    line("content-script longest task", [r["longest"] for r in rows])
    cpu_lines(rows)
    line("long tasks overlapping a content-script task", [r["ours"] for r in rows], "", "4.0f")
    line("long tasks caused by the content script (its share > half)", [r["caused"] for r in rows], "", "4.0f")


def measure_many(driver, server, runs, rows):
    page = ChatPage(driver, server.url("pages/many-blocks.html"))
    rng = random.Random(14 + len(rows))
    for _ in range(runs):
        with Trace(driver) as trace:
            page.open()
            page.wait_panels(1200, timeout=60, settle=0.3)  # every block has its host: the page is idle
            WebDriverWait(driver, 20).until(lambda d: d.execute_script("return __bench.nearDone !== null"))
            row = driver.execute_script(_TASKS)
        rows.append(with_cpu(row, trace))
        row["late"], row["near"] = [], []
        with Trace(driver) as trace:
            for _ in range(JUMPS):
                frames, ms = driver.execute_async_script(_JUMP, rng.random())
                row["late"].append(frames)
                row["near"].append(ms)
                time.sleep(0.1)
            jumps = driver.execute_script(_TASKS, row["scriptStart"])
        row["jumpTasks"] = with_cpu(jumps, trace)


def report_many(rows):
    start = [r["scriptStart"] for r in rows]
    print(f"1,000-block page (pages/many-blocks.html: 1,000 <pre> blocks + 200 without), load average {loads(rows)}:")
    line("content-script longest task", [r["longest"] for r in rows])
    named("  the longest was", [r["longestWhat"] for r in rows])
    cpu_lines(rows)
    line("content-script tasks over 16 ms (count)", [r["over16"] for r in rows], "", "4.0f")
    line("long tasks overlapping a content-script task (count)", [r["ours"] for r in rows], "", "4.0f")
    line("long tasks caused by the content script (its share > half)", [r["caused"] for r in rows], "", "4.0f")
    line("long tasks on the page, any cause (count)", [r["longTasks"] for r in rows], "", "4.0f")
    line("content script start -> first panel in the viewport", [r["firstPanel"] - s for r, s in zip(rows, start)])
    line("frames after content script start without a panel on screen", [r["framesBefore"] for r in rows], "frames", "4.0f")
    line("content script start -> all panels in the viewport", [r["visibleDone"] - s for r, s in zip(rows, start)])
    line("content script start -> all panels within half a screen more", [r["nearDone"] - s for r, s in zip(rows, start)])
    line("content-script tasks, total main-thread time (load to idle)", [r["total"] for r in rows])
    print(f"  Jumps to parts of the page not seen yet ({JUMPS} per load):")
    line("frames a block on screen showed no full panel", [f for r in rows for f in r["late"]], "frames", "4.0f")
    line("jump -> all panels within half a screen more", [ms for r in rows for ms in r["near"]])
    line("content-script longest task, load and jumps", [r["jumpTasks"]["longest"] for r in rows])
    named("  the longest was", [r["jumpTasks"]["longestWhat"] for r in rows])
    line("content-script longest task in the jumps, CPU time", [r["jumpTasks"]["cpuLongest"] for r in rows])
    named("  the longest was", [r["jumpTasks"]["cpuLongestWhat"] for r in rows])


MODES = ("inplace", "rerender", "swap")


def measure_stream(driver, server, runs, rows):
    for _ in range(runs):
        for mode in MODES:
            page = ChatPage(driver, server.url(STREAM.format(mode=mode)))
            with Trace(driver) as trace:
                page.open()
                WebDriverWait(driver, 60).until(lambda d: d.execute_script("return window.__fixtureStream.done"))
                page.wait_panels(2, timeout=10, settle=0.2)  # the long block and the marked one
                WebDriverWait(driver, 10).until(lambda d: d.execute_script(_LAST_FULL))
                row = driver.execute_script(_TASKS)
            rows.append(dict(with_cpu(row, trace), mode=mode))


def report_stream(rows):
    print("A 20 KB answer streaming in (chat-pages/streaming.html, 160 characters per chunk, 50 chunks/s, window following):")
    for mode in MODES:
        of = [r for r in rows if r["mode"] == mode]
        print(f"  mode={mode} (load average {loads(of)}):")
        line("  content-script tasks, total main-thread time", [r["total"] for r in of])
        line("  content-script longest task", [r["longest"] for r in of])
        named("    the longest was", [r["longestWhat"] for r in of])
        cpu_lines(of, "  ")
        line("  long tasks overlapping a content-script task (count)", [r["ours"] for r in of], "", "4.0f")
        line("  long tasks caused by the content script (share > half)", [r["caused"] for r in of], "", "4.0f")


PARTS = {"blank": (measure_blank, report_blank), "many": (measure_many, report_many), "stream": (measure_stream, report_stream)}
ROUNDS = 4  # with --before: the two builds take turns, RUNS / ROUNDS loads each time


def loads(rows):
    """The 1-minute load average while the rows were measured: p50 and range."""
    values = [r["load"] for r in rows]
    return f"{pct(values, 50):.2f} (1 min, p50 of its loads; {min(values):.2f}-{max(values):.2f})"


def main():
    args = sys.argv[1:]
    before = None
    if "--before" in args:
        i = args.index("--before")
        before = Path(args[i + 1]).resolve()
        del args[i:i + 2]
        if not (before / "manifest.json").exists() or not (before / "build" / "content.js").exists():
            sys.exit(f"--before {before}: not a built extension folder (manifest.json, build/content.js)")
    parts = [part for part in args if not part.isdigit()] or list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        sys.exit(f"unknown part(s) {sorted(unknown)}: choose from {list(PARTS)}")
    builds = {"this tree": EXTENSION_DIR} if before is None else {f"before ({before})": before, "this tree": EXTENSION_DIR}
    rounds = 1 if before is None else ROUNDS
    with PageServer(REPO / "tests" / "fixtures") as server:
        browsers = {}
        try:
            for name, folder in builds.items():
                browsers[name] = start_browser(extension=folder)
                browsers[name][0].execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _AT_START})
            print(f"Chatrun content script on chat pages (headless Chromium, this machine; p50 over {RUNS} loads"
                  + ("" if before is None else f", the builds taking turns in {ROUNDS} rounds") + ")")
            for part in parts:
                measure, report = PARTS[part]
                rows = {name: [] for name in builds}
                for i in range(rounds):
                    for name, (driver, _) in browsers.items():
                        runs = RUNS // rounds + (i < RUNS % rounds)
                        measure(driver, server, runs, rows[name])
                for name in builds:
                    if before is not None:
                        print(f"[{name}]")
                    report(rows[name])
        finally:
            for driver, profile in browsers.values():
                stop_browser(driver, profile)


if __name__ == "__main__":
    main()
