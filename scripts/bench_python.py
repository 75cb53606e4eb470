"""Python runner benchmark: cold first run with and without preload, warm runs, first numpy
import, first figure — next to a baseline of loadPyodide + the same code in a plain page worker
in the same browser — and the kernels (one per conversation): first run in a new conversation
with the spare ready and without one, memory per live kernel, and what a long run in one
conversation adds to a run in another. Prints numbers.

Run: scripts/bench python            (everything)
     scripts/bench python kernels    (only the kernel figures)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bench_extension import pct, report, timed_click  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import BlankPage, set_settings  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

WARM_REPEAT = 20
SPARE_REPEAT = 20
COLD_REPEAT = 3

_KERNEL_STATUS = """
const done = arguments[0];
chrome.runtime.sendMessage({target: 'offscreen', type: 'kernel-status'})
  .then((r) => done(r.pools.find((p) => p.language === 'python')), () => done(null));
"""

# The baseline: the same vendored Pyodide in a plain page's module worker.
_BASELINE = """
const done = arguments[arguments.length - 1];
const base = location.origin + '/extension/vendor/pyodide/';
const src = `import { loadPyodide } from '${base}pyodide.mjs';
  const t0 = performance.now();
  const py = await loadPyodide({ indexURL: '${base}' });
  const loaded = performance.now();
  py.setStdout({ batched: () => {} });
  py.runPython('print(1)');
  const first = performance.now();
  const warm = [];
  for (let i = 0; i < 20; i++) { const s = performance.now(); py.runPython('print(1)'); warm.push(performance.now() - s); }
  const n0 = performance.now();
  await py.loadPackage('numpy'); py.runPython('import numpy; print(numpy.arange(3).sum())');
  const numpy = performance.now() - n0;
  postMessage({ load: loaded - t0, first: first - t0, warm, numpy });`;
const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
w.onmessage = (e) => done(e.data);
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


def click_ms(driver, page, code):
    panel = page.add_block("python", code)
    ms = timed_click(driver, panel)
    assert panel.state == "success", panel.stream("error")
    return ms


def pool_state(driver) -> dict:
    from tests.e2e.test_runner_lifecycle import in_extension_tab

    return in_extension_tab(driver, _KERNEL_STATUS) or {}


def wait_for(driver, field: str, value: str, timeout: float = 90) -> None:
    """Until the Python pool's status says `field` is `value` (spare ready, snapshot ready)."""
    deadline = time.monotonic() + timeout
    while pool_state(driver).get(field) != value:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the Python pool's {field} never became {value}")
        time.sleep(0.5)


def bench_kernels(server):
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
    finally:
        stop_browser(driver, profile)
    cold, making_snapshot, snapshot_start = [], [], []
    for i in range(COLD_REPEAT):
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
    report("first run, new conversation, no spare (cold)", cold)
    report("  2nd conversation (makes the snapshot first)", making_snapshot)
    report("  3rd conversation (from the snapshot)", snapshot_start)

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


def main():
    if "kernels" in sys.argv[1:]:
        with PageServer(REPO) as server:
            bench_kernels(server)
        return
    with PageServer(REPO) as server:
        blank_url = server.url("tests/fixtures/pages/blank.html")
        print("Chatrun Python benchmark (headless Chromium, this machine)")
        cold_no_preload, cold_preload = [], []
        for preload in (False, True):
            for _ in range(3):
                driver, profile = start_browser()
                try:
                    set_settings(driver, {"preloadRuntimes": preload})
                    page = BlankPage(driver, blank_url).open()
                    if preload:
                        page.add_block("python", "pass")  # a Python block on the page starts the load
                        time.sleep(8)  # the user reads the answer meanwhile
                    (cold_preload if preload else cold_no_preload).append(click_ms(driver, page, "print(1)"))
                finally:
                    stop_browser(driver, profile)
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
            numpy = click_ms(driver, page, "import numpy as np\nprint(np.arange(3).sum())")
            figure = click_ms(driver, page, "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()")
            figure2 = click_ms(driver, page, "import matplotlib.pyplot as plt\nplt.plot([3, 2, 1])\nplt.show()")
            click_ms(driver, page, "import pandas as pd\npd.DataFrame({'a': [1, 2]})")
            time.sleep(1)
            rss_packages = browser_rss_mb(driver)
            driver.set_script_timeout(120)
            base = driver.execute_async_script(_BASELINE)
        finally:
            stop_browser(driver, profile)
        print("Click -> done, `print(1)` (page-side timing):")
        report("cold, no preload (new browser)", cold_no_preload)
        report("cold, preloaded while the page was read", cold_preload)
        report("warm", warm)
        print(f"  {'first import numpy (click -> done)':<44} {numpy:8.1f} ms")
        print(f"  {'first figure (matplotlib import + plot)':<44} {figure:8.1f} ms")
        print(f"  {'next figure':<44} {figure2:8.1f} ms")
        if "error" in base:
            print("  baseline failed:", base["error"])
        else:
            print("Baseline: loadPyodide + the same code in a plain page worker:")
            print(f"  {'loadPyodide':<44} {base['load']:8.1f} ms")
            print(f"  {'load + first print(1)':<44} {base['first']:8.1f} ms")
            report("warm runPython('print(1)')", base["warm"])
            print(f"  {'loadPackage numpy + import':<44} {base['numpy']:8.1f} ms")
        print("Browser memory (RSS of all its processes, from /proc):")
        print(f"  {'before Python':<44} {rss_before:8.0f} MB")
        print(f"  {'+ interpreter loaded':<44} {rss_python - rss_before:+8.0f} MB")
        print(f"  {'+ numpy, matplotlib, pandas imported':<44} {rss_packages - rss_before:+8.0f} MB")
        bench_kernels(server)


if __name__ == "__main__":
    main()
