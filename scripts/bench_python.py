"""Python runner benchmark: cold first run with and without preload, warm runs, first numpy
import, first figure — next to a baseline of loadPyodide + the same code in a plain page worker
in the same browser — and the kernels (one per conversation): first run in a new conversation
with the spare ready and without one, memory per live kernel, and what a long run in one
conversation adds to a run in another. Prints numbers.

Run: scripts/bench python [N]          (everything; N cold starts of each kind, default 5)
     scripts/bench python cold [N]     (only the cold starts beside their baseline)
     scripts/bench python kernels      (only the kernel figures)
"""
from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bench_extension import load_average, pct, report, timed_click  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import BlankPage, set_settings  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

WARM_REPEAT = 20
SPARE_REPEAT = 20
COLD_REPEAT = 5
FIGURE_REPEAT = 5

_KERNEL_STATUS = """
const done = arguments[0];
chrome.runtime.sendMessage({target: 'offscreen', type: 'kernel-status'})
  .then((r) => done(r.pools.find((p) => p.language === 'python')), () => done(null));
"""

# The baseline: the same vendored Pyodide in a plain page's module worker, timed from the page
# like a Chatrun run (from before the worker exists to its answer in the page): load + first
# print, warm prints, then loadPackage numpy + import.
_BASELINE = """
const done = arguments[arguments.length - 1];
const base = location.origin + '/extension/vendor/pyodide/';
const src = `import { loadPyodide } from '${base}pyodide.mjs';
  const py = await loadPyodide({ indexURL: '${base}' });
  postMessage('loaded');
  py.setStdout({ batched: (text) => postMessage(text) });
  py.runPython('print(1)');
  const warm = [];
  for (let i = 0; i < 20; i++) { const s = performance.now(); py.runPython('x = 1'); warm.push(performance.now() - s); }
  self.onmessage = async () => {
    await py.loadPackage('numpy'); py.runPython('import numpy; print(numpy.arange(3).sum())');
  };
  postMessage({ warm });`;
const t0 = performance.now();
const times = {};
const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
w.onmessage = (e) => {
  const at = performance.now() - t0;
  if (e.data === 'loaded') times.load = at;
  else if (e.data === '1') times.first = at;
  else if (e.data && e.data.warm) { times.warm = e.data.warm; times.numpyFrom = performance.now(); w.postMessage('numpy'); }
  else if (e.data === '3') { times.numpy = performance.now() - times.numpyFrom; done(times); }
};
w.onerror = (e) => done({ error: e.message });
"""

def browser_rss_mb(driver) -> float:
    """Resident memory of the whole browser (every process under chromedriver), from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, ValueError, IndexError):
            continue
    root = driver.service.process.pid
    tree, frontier = set(), {root}
    while frontier:
        tree |= frontier
        frontier = {pid for pid, ppid in parents.items() if ppid in frontier} - tree
    total_kb = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


@contextlib.contextmanager
def browser_session(settings=None):
    """A new browser (a new profile: nothing cached), with these runner settings."""
    driver, profile = start_browser()
    try:
        if settings is not None:
            set_settings(driver, settings)
        yield driver
    finally:
        stop_browser(driver, profile)


def click_ms(driver, page, code):
    panel = page.add_block("python", code)
    ms = timed_click(driver, panel, timeout=180)
    assert panel.state == "success", panel.stream("error")
    return ms


def pool_state(driver) -> dict:
    from tests.e2e.test_runner_lifecycle import in_extension_tab

    return in_extension_tab(driver, _KERNEL_STATUS) or {}


def wait_for(driver, field: str, value: str, timeout: float = 90) -> None:
    """Until the Python pool's status says `field` is `value` (spare ready, its imports done,
    snapshot ready)."""
    deadline = time.monotonic() + timeout
    while pool_state(driver).get(field) != value:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the Python pool's {field} never became {value}")
        time.sleep(0.5)


def bench_kernels(server, cold_repeat=COLD_REPEAT):
    """Kernels: spare hit vs cold, memory per kernel, one conversation's long run vs another's."""
    from tests.e2e.test_kernels import Tabs

    print("Kernels (one Python worker per conversation):")
    driver, profile = start_browser()
    try:
        set_settings(driver, {"preloadRuntimes": True, "maxKernels": 3})
        page = BlankPage(driver, server.conversation("k-warm")).open()
        click_ms(driver, page, "print(1)")
        warm = [click_ms(driver, page, "print(1)") for _ in range(WARM_REPEAT)]
        spare_hit = []
        for i in range(SPARE_REPEAT):
            page = BlankPage(driver, server.conversation(f"k-new-{i}")).open()
            page.add_block("python", "pass")  # the page shows a Python block: a spare is wanted
            wait_for(driver, "spare", "ready")
            spare_hit.append(click_ms(driver, page, "print(1)"))
        # A first figure in a new conversation, once this session has plotted (the spare imports
        # matplotlib ahead of its conversation): with the spare fully warm (its imports done),
        # with its interpreter ready but its imports maybe not, and right after the conversation
        # before took the spare (the next one is still loading: this run waits for it, then
        # imports matplotlib itself).
        plot = "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"
        first_figure_cold = click_ms(driver, BlankPage(driver, server.conversation("k-fig-first")).open(), plot)
        figure_warm, figure_ready, figure_taken = [], [], []
        for i in range(FIGURE_REPEAT):
            page = BlankPage(driver, server.conversation(f"k-fig-warm-{i}")).open()
            page.add_block("python", "pass")
            wait_for(driver, "spare", "ready", timeout=180)
            wait_for(driver, "spareImports", "done", timeout=180)
            figure_warm.append(click_ms(driver, page, plot))
            page = BlankPage(driver, server.conversation(f"k-fig-ready-{i}")).open()
            page.add_block("python", "pass")
            wait_for(driver, "spare", "ready", timeout=180)
            figure_ready.append(click_ms(driver, page, plot))
            page = BlankPage(driver, server.conversation(f"k-fig-taken-{i}")).open()
            figure_taken.append(click_ms(driver, page, plot))
        snapshot_mb = (pool_state(driver).get("snapshotBytes") or 0) / 2**20
    finally:
        stop_browser(driver, profile)
    cold, making_snapshot, snapshot_start = [], [], []
    for i in range(cold_repeat):
        driver, profile = start_browser()  # preload off: no page ever asks for a spare
        try:
            set_settings(driver, {"preloadRuntimes": False, "maxKernels": 3})
            cold.append(click_ms(driver, BlankPage(driver, server.conversation("k-cold")).open(), "print(1)"))
            making_snapshot.append(click_ms(driver, BlankPage(driver, server.conversation("k-2")).open(), "print(1)"))
            snapshot_start.append(click_ms(driver, BlankPage(driver, server.conversation("k-3")).open(), "print(1)"))
        finally:
            stop_browser(driver, profile)
    report("warm run in the conversation's kernel", warm)
    report("first run, new conversation, spare ready", spare_hit)
    print(f"  {'  ratio spare hit / warm (p50; target <= 2)':<44} {pct(spare_hit, 50) / pct(warm, 50):8.2f}")
    print(f"  {'first figure, session never plotted (spare ready)':<44} {first_figure_cold:8.1f} ms")
    report("first figure, new conv., spare fully warm", figure_warm)
    print(f"  {'  target: < 1000 ms (p50)':<44} {pct(figure_warm, 50):8.1f} ms")
    report("first figure, new conv., spare loaded only", figure_ready)
    report("first figure, right after a spare was taken", figure_taken)
    report("first run, new conversation, no spare (cold)", cold)
    report("  2nd conversation (makes the snapshot first)", making_snapshot)
    report("  3rd conversation (from the snapshot)", snapshot_start)
    print(f"  {'  target: new kernel < 500 ms with a spare or snapshot (p50)':<44} "
          f"spare {pct(spare_hit, 50):.1f} ms, snapshot {pct(snapshot_start, 50):.1f} ms")
    print(f"  {'memory snapshot of a fresh interpreter':<44} {snapshot_mb:8.1f} MB")
    print(f"  {'load average':<44} {load_average()}")

    driver, profile = start_browser()
    tabs = Tabs(driver)
    try:
        set_settings(driver, {"preloadRuntimes": False, "maxKernels": 3})
        page = BlankPage(driver, server.url("tests/fixtures/pages/blank.html")).open()
        page.add_block("javascript", "1").run()
        time.sleep(2)
        rss = [browser_rss_mb(driver)]
        for i in range(3):
            click_ms(driver, tabs.open(f"m{i}", server.conversation(f"k-mem-{i}")), "print(1)")
            time.sleep(2)
            rss.append(browser_rss_mb(driver))
        print("Memory (RSS of all the browser's processes, from /proc), live kernels with the interpreter loaded:")
        for n in (1, 2, 3):
            print(f"  {f'{n} live kernel(s)':<44} {rss[n] - rss[0]:+8.0f} MB  ({(rss[n] - rss[0]) / n:.0f} MB per kernel)")

        quick = tabs.to("m1")
        alone = [click_ms(driver, quick, "print(1)") for _ in range(10)]
        busy = tabs.to("m0")
        long_run = busy.add_block("python", "import time\nt = time.time()\nwhile time.time() - t < 60:\n    pass")
        long_run.click("run")
        long_run.wait_state("running", 30)
        quick = tabs.to("m1")
        beside = [click_ms(driver, quick, "print(1)") for _ in range(10)]
        tabs.to("m0")
        long_run.click("stop")
        long_run.wait_final(10)
        report("run in tab B, tab A idle", alone)
        report("run in tab B, tab A running a long loop", beside)
        print(f"  {'  added by the long run in A (p50)':<44} {pct(beside, 50) - pct(alone, 50):+8.1f} ms")
    finally:
        tabs.close_all()
        stop_browser(driver, profile)


def ratio_line(name, values, base, target):
    r = pct(values, 50) / pct(base, 50)
    print(f"  {f'  {name}':<44} {r:8.2f}x  (p50 / baseline p50; target <= {target}x)")


def bench_cold(server, n):
    """Cold starts, each in a new browser: the plain-page baseline and Chatrun's first run (no
    preload) alternate, so both columns come from the same bench run under the same load."""
    blank_url = server.url("tests/fixtures/pages/blank.html")
    base, cold, numpy, figure, steps = [], [], [], [], []
    for _ in range(n):
        with browser_session() as driver:
            BlankPage(driver, blank_url).open()
            driver.set_script_timeout(180)
            result = driver.execute_async_script(_BASELINE)
            if "error" in result:
                raise RuntimeError(f"baseline failed: {result['error']}")
            base.append(result)
        with browser_session({"preloadRuntimes": False}) as driver:
            page = BlankPage(driver, blank_url).open()
            cold.append(click_ms(driver, page, "print(1)"))
            steps.append((pool_state(driver).get("lastStart") or {}))
            page = BlankPage(driver, blank_url).open()
            numpy.append(click_ms(driver, page, "import numpy as np\nprint(np.arange(3).sum())"))
            figure.append(click_ms(driver, page, "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()"))
    print(f"Cold Python, each in a new browser (n={n} each, alternating; load average {load_average()}):")
    report("baseline: new page Worker, loadPyodide", [b["load"] for b in base])
    report("baseline: ... + first print(1) in the page", [b["first"] for b in base])
    report("Chatrun: cold print(1), no preload (click->done)", cold)
    ratio_line("cold / baseline first print", cold, [b["first"] for b in base], 1.1)
    for step in ("files", "loadPyodide", "runtime", "lockDown", "warmUp", "total"):
        values = [s[step] for s in steps if step in s]
        if values:
            report(f"  worker start: {step}", values)
    report("baseline: loadPackage numpy + import", [b["numpy"] for b in base])
    report("Chatrun: first import numpy (click->done)", numpy)
    ratio_line("numpy / baseline", numpy, [b["numpy"] for b in base], 1.1)
    report("Chatrun: first figure (matplotlib import + plot)", figure)
    report("baseline: warm runPython('x = 1') in the worker", [w for b in base for w in b["warm"]])


def main():
    args = [a for a in sys.argv[1:] if not a.isdigit()]
    n = next((int(a) for a in sys.argv[1:] if a.isdigit()), COLD_REPEAT)
    with PageServer(REPO) as server:
        if "kernels" in args:
            bench_kernels(server, n)
            return
        print(f"Chatrun Python benchmark (headless Chromium, this machine; load average {load_average()})")
        bench_cold(server, n)
        if "cold" in args:
            return
        blank_url = server.url("tests/fixtures/pages/blank.html")
        cold_preload = []
        for _ in range(n):
            with browser_session({"preloadRuntimes": True}) as driver:
                page = BlankPage(driver, blank_url).open()
                page.add_block("python", "pass")  # a Python block on the page starts the load
                time.sleep(8)  # the user reads the answer meanwhile
                cold_preload.append(click_ms(driver, page, "print(1)"))
        driver, profile = start_browser()
        try:
            set_settings(driver, {"preloadRuntimes": False})
            page = BlankPage(driver, blank_url).open()
            page.add_block("javascript", "1")
            time.sleep(2)
            rss_before = browser_rss_mb(driver)
            click_ms(driver, page, "print(1)")
            time.sleep(1)
            rss_python = browser_rss_mb(driver)
            warm = [click_ms(driver, page, "print(1)") for _ in range(WARM_REPEAT)]
            click_ms(driver, page, "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()")
            figure2 = [click_ms(driver, page, "import matplotlib.pyplot as plt\nplt.plot([3, 2, 1])\nplt.show()")
                       for _ in range(5)]
            click_ms(driver, page, "import pandas as pd\npd.DataFrame({'a': [1, 2]})")
            time.sleep(1)
            rss_packages = browser_rss_mb(driver)
        finally:
            stop_browser(driver, profile)
        print("Click -> done, `print(1)` (page-side timing):")
        report("cold, preloaded while the page was read (8 s)", cold_preload)
        report("warm", warm)
        report("next figure (matplotlib loaded)", figure2)
        print("Browser memory (RSS of all its processes, from /proc):")
        print(f"  {'before Python':<44} {rss_before:8.0f} MB")
        print(f"  {'+ interpreter loaded':<44} {rss_python - rss_before:+8.0f} MB")
        print(f"  {'+ numpy, matplotlib, pandas imported':<44} {rss_packages - rss_before:+8.0f} MB")
        bench_kernels(server, n)


if __name__ == "__main__":
    main()
