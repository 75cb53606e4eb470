"""Python runner benchmark: cold first run with and without preload, warm runs, first numpy
import, first figure — next to a baseline of loadPyodide + the same code in a plain page worker
in the same browser. Prints numbers.

Run: scripts/bench python   (after scripts/setup --browser)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bench_extension import report, timed_click  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import BlankPage, set_settings  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

WARM_REPEAT = 20

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


def main():
    with PageServer(REPO) as server:
        blank_url = server.url("tests/fixtures/pages/blank.html")
        print("Chatrun Python benchmark (headless Chromium, this machine)")
        cold_no_preload, cold_preload = [], []
        for preload in (False, True):
            for _ in range(3):
                driver, profile = start_browser()
                try:
                    set_settings(driver, {"pythonPreload": preload})
                    page = BlankPage(driver, blank_url).open()
                    if preload:
                        page.add_block("python", "pass")  # a Python block on the page starts the load
                        time.sleep(8)  # the user reads the answer meanwhile
                    (cold_preload if preload else cold_no_preload).append(click_ms(driver, page, "print(1)"))
                finally:
                    stop_browser(driver, profile)
        driver, profile = start_browser()
        try:
            set_settings(driver, {"pythonPreload": False})
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


if __name__ == "__main__":
    main()
