"""SQL benchmark: click -> output on screen for a trivial SQL block on SQLite and on PostgreSQL,
cold and warm, beside a trivial JavaScript block measured the same way. Prints numbers.

  cold, new browser, no preload   the first run after the browser started (JS: the sandbox
                           starts; PostgreSQL: its first database ever is made by initdb)
  cold, new conversation   then the first run in another conversation: a new database in a new
                           worker (PostgreSQL: from the kept data directory and compiled module)
  cold, new browser        as installed (preload on), clicked as soon as the panel shows: the
                           PostgreSQL spare is still loading (the first ever: initdb)
  cold, spare ready        PostgreSQL, preload on, clicked once the spare is ready (as when the
                           user reads the answer before clicking Run)
  warm                     the next runs in the same conversation

Times are page-side, from the trusted click to the frame after the final state reached the
panel's DOM (the run marks of extension/shared/timing.js).

Run: scripts/bench sql   (after scripts/setup --browser)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scripts.bench_extension import report  # noqa: E402
from scripts.bench_latency import timed_run  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import BlankPage, set_settings  # noqa: E402
from tests.e2e.test_runner_lifecycle import in_extension_tab  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

BLOCKS = {
    "javascript": "console.log(1 + 1)",
    "sql": "SELECT 1 + 1 AS two;",
    "postgresql": "SELECT 1 + 1 AS two;",
}
BROWSERS = 3  # cold, new browser (preload on): each a fresh profile
CONVERSATIONS = 8
WARM = 20


# Which languages have a spare, and whether it is ready (what the options page reads).
_SPARES = """
const done = arguments[0];
chrome.runtime.sendMessage({target: 'offscreen', type: 'kernel-status'})
  .then((r) => done(Object.fromEntries(r.pools.map((p) => [p.language, p.spare]))), () => done({}));
"""


def click_to_frame(driver, panel):
    marks = timed_run(driver, panel)
    assert panel.state == "success", panel.stream("error")
    return marks["marks"]["frame"] - marks["t0"]


def first_run(driver, url, language, wait_for_spare=False):
    page = BlankPage(driver, url).open()
    panel = page.add_block(language, BLOCKS[language])
    if wait_for_spare:
        deadline = time.monotonic() + 60
        while in_extension_tab(driver, _SPARES).get(language) != "ready":
            assert time.monotonic() < deadline, "the spare did not load"
            time.sleep(0.2)
    return click_to_frame(driver, panel), panel


def main():
    kinds = ["new browser, no preload", "new conversation", "new browser", "spare ready", "warm"]
    results = {language: {kind: [] for kind in kinds} for language in BLOCKS}
    with PageServer(REPO / "tests" / "fixtures") as server:
        # A browser with preload off: no spare ever, every first run starts its kernel.
        driver, profile = start_browser()
        try:
            set_settings(driver, {"preloadRuntimes": False})
            for language in BLOCKS:
                took, panel = first_run(driver, server.conversation(f"bench-{language}"), language)
                results[language]["new browser, no preload"].append(took)
                results[language]["warm"] += [click_to_frame(driver, panel) for _ in range(WARM)]
                for c in range(CONVERSATIONS):
                    url = server.conversation(f"bench-{language}-{c}")
                    results[language]["new conversation"].append(first_run(driver, url, language)[0])
        finally:
            stop_browser(driver, profile)
        # Browsers as installed (preload on): clicked at once, then (PostgreSQL) once the spare is ready.
        for b in range(BROWSERS):
            driver, profile = start_browser()
            try:
                for language in BLOCKS:
                    took, _ = first_run(driver, server.conversation(f"bench-{language}"), language)
                    results[language]["new browser"].append(took)
                for c in range(CONVERSATIONS if b == 0 else 0):
                    url = server.conversation(f"bench-spare-{c}")
                    results["postgresql"]["spare ready"].append(first_run(driver, url, "postgresql", True)[0])
            finally:
                stop_browser(driver, profile)
    print("Chatrun SQL benchmark (headless Chromium, this machine): click -> output on screen")
    for language, code in BLOCKS.items():
        print(f"{language}: `{code}`")
        for kind, values in results[language].items():
            if values:
                report(f"{language}, {'cold, ' if kind != 'warm' else ''}{kind}", values)


if __name__ == "__main__":
    main()
