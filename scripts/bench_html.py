"""HTML preview benchmark: click -> preview rendered for a small HTML block, cold and warm, beside
a trivial JavaScript block measured the same way. Prints numbers.

  cold, new browser   the first preview (or run) after the browser started: the preview page
                      (JS: the sandbox) loads for the first time
  cold, new page      then the first one on a freshly loaded page
  warm                the next ones in the same panel

"Rendered" is the previewed document's load event reaching the panel, then the next frame; times
are page-side, from the trusted click (the run marks of extension/shared/timing.js).

Run: scripts/bench html   (after scripts/setup --browser)
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bench_extension import load_average, report  # noqa: E402
from scripts.bench_latency import timed_run  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import BlankPage  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

BLOCKS = {
    "html": '<!DOCTYPE html>\n<h1 style="color: teal">Hello</h1>\n<script>console.log(1 + 1)</script>',
    "javascript": "console.log(1 + 1)",
}
BROWSERS = 3
PAGES = 8
WARM = 20


def click_to_frame(driver, panel):
    marks = timed_run(driver, panel)
    assert panel.state == "success", panel.stream("error") + panel.notice
    assert panel.stream("log") == "2\n"
    return marks["marks"]["frame"] - marks["t0"]


def first_run(driver, url, language):
    panel = BlankPage(driver, url).open().add_block(language, BLOCKS[language])
    return click_to_frame(driver, panel), panel


def main():
    kinds = ["new browser", "new page", "warm"]
    results = {language: {kind: [] for kind in kinds} for language in BLOCKS}
    with PageServer(REPO / "tests" / "fixtures") as server:
        for b in range(BROWSERS):
            driver, profile = start_browser()
            try:
                for language in BLOCKS:
                    took, panel = first_run(driver, server.url("pages/blank.html"), language)
                    results[language]["new browser"].append(took)
                    if b == 0:
                        results[language]["warm"] += [click_to_frame(driver, panel) for _ in range(WARM)]
                        for _ in range(PAGES):
                            results[language]["new page"].append(first_run(driver, server.url("pages/blank.html"), language)[0])
            finally:
                stop_browser(driver, profile)
    print(f"Chatrun HTML preview benchmark (headless Chromium, this machine, load {load_average()}): click -> rendered")
    for language, code in BLOCKS.items():
        print(f"{language}: `{code.splitlines()[-1]}`" if language == "html" else f"{language}: `{code}`")
        for kind, values in results[language].items():
            report(f"{language}, {'cold, ' if kind != 'warm' else ''}{kind}", values)


if __name__ == "__main__":
    main()
