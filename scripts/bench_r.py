"""R benchmark: click -> output on screen for R blocks (webR), beside a trivial JavaScript block
measured the same way, and the memory of R sessions. Prints numbers.

  cold load                the first R run of a new browser with preload off: the R session
                           (R.wasm compiled, R started) is made for it
  new conversation, spare  preload on, the page's R block warmed a spare; clicked once it is ready
  warm                     the next runs in the same conversation (`cat(1)`)
  first plot               the first `plot()` of a session (R's PNG device and its fonts load),
                           then later plots
  memory                   RSS of all the browser's processes with 1 to 4 live R sessions, and
                           what each session after the first adds

Times are page-side, from the trusted click to the frame after the final state reached the
panel's DOM (the run marks of extension/shared/timing.js).

Run: scripts/bench r   (after scripts/setup --browser)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bench_extension import report  # noqa: E402
from scripts.bench_python import browser_rss_mb  # noqa: E402
from scripts.bench_sql import BLOCKS, click_to_frame, first_run  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import BlankPage, set_settings  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402
from tests.e2e.test_kernels import Tabs  # noqa: E402

COLD_BROWSERS = 3
SPARE = 5
WARM = 20
PLOTS = 5
SESSIONS = 4
TRIVIAL = "cat(1)"
PLOT = "plot(1:10)"
BLOCKS["r"] = TRIVIAL  # what bench_sql's first_run runs for R


def settled_rss_mb(driver) -> float:
    samples = []
    for _ in range(3):
        time.sleep(2)
        samples.append(browser_rss_mb(driver))
    return sorted(samples)[1]


def run_block(driver, page, code):
    panel = page.add_block("r", code)
    return click_to_frame(driver, panel), panel


def main():
    results = {name: [] for name in ("cold load", "new conversation, spare ready", "warm", "JavaScript, warm",
                                     "first plot of a session", "later plots")}
    with PageServer(REPO / "tests" / "fixtures") as server:
        for b in range(COLD_BROWSERS):
            driver, profile = start_browser()
            try:
                set_settings(driver, {"preloadRuntimes": False})
                page = BlankPage(driver, server.conversation(f"bench-r-cold-{b}")).open()
                took, panel = run_block(driver, page, TRIVIAL)
                results["cold load"].append(took)
                if b == 0:
                    results["warm"] += [click_to_frame(driver, panel) for _ in range(WARM)]
                    js = page.add_block("javascript", "console.log(1)")
                    results["JavaScript, warm"] += [click_to_frame(driver, js) for _ in range(WARM + 1)][1:]
                results["first plot of a session"].append(run_block(driver, page, PLOT)[0])
                if b == 0:
                    plot = page.add_block("r", PLOT)
                    results["later plots"] += [click_to_frame(driver, plot) for _ in range(PLOTS)]
            finally:
                stop_browser(driver, profile)
        driver, profile = start_browser()
        try:
            set_settings(driver, {"preloadRuntimes": True, "maxKernels": 3})
            for c in range(SPARE):
                took, _ = first_run(driver, server.conversation(f"bench-r-spare-{c}"), "r", wait_for_spare=True)
                results["new conversation, spare ready"].append(took)
        finally:
            stop_browser(driver, profile)
        print("Chatrun R benchmark (headless Chromium, this machine): click -> output on screen")
        print(f"R: `{TRIVIAL}`, plots: `{PLOT}`")
        for name, values in results.items():
            if values:
                report(name, values)
        driver, profile = start_browser()
        tabs = Tabs(driver)  # each conversation's page stays open: its session stays live
        try:
            set_settings(driver, {"preloadRuntimes": False, "maxKernels": SESSIONS})
            page = BlankPage(driver, server.url("pages/blank.html")).open()
            page.add_block("javascript", "1").run()
            rss = [settled_rss_mb(driver)]
            for i in range(SESSIONS):
                page = tabs.open(f"m{i}", server.conversation(f"bench-r-mem-{i}"))
                assert page.add_block("r", "x <- 1:10").run(120) == "success"
                rss.append(settled_rss_mb(driver))
        finally:
            tabs.close_all()
            stop_browser(driver, profile)
    print("Memory (RSS of all the browser's processes, from /proc, median of 3 samples), live R sessions:")
    for n in range(1, SESSIONS + 1):
        print(f"  {f'{n} live R session(s)':<44} {rss[n] - rss[0]:+8.0f} MB")
    added = (rss[SESSIONS] - rss[1]) / (SESSIONS - 1)
    print(f"  {'each session after the first (mean)':<44} {added:+8.0f} MB")


if __name__ == "__main__":
    main()
