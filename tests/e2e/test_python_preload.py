"""Python preload: a page that shows a Python block starts loading Pyodide in the background, so
the first run starts at once; with preload off, the first run has to load it."""
from __future__ import annotations

import time

import pytest

from selenium.webdriver.support.ui import WebDriverWait

from .browser import start_browser, stop_browser
from .pages import BlankPage, set_settings
from .test_runner_lifecycle import kernel_pool, offscreen_documents

# Every data-state the panel goes through, recorded from the page's side.
_RECORD_STATES = """
const host = arguments[0];
window.__states = [];
new MutationObserver(() => __states.push(host.dataset.state))
  .observe(host, {attributes: true, attributeFilter: ['data-state']});
"""


@pytest.fixture
def fresh_browser():
    driver, profile = start_browser()  # a new browser: no interpreter loaded yet
    yield driver
    stop_browser(driver, profile)


@pytest.mark.parametrize("preload", [True, False])
def test_first_python_run_after_preload_starts_without_loading(fresh_browser, pages, preload):
    set_settings(fresh_browser, {"preloadRuntimes": preload})
    page = BlankPage(fresh_browser, pages.url("pages/blank.html")).open()
    panel = page.add_block("python", "print('ready')")
    # The user reads the answer; the interpreter loads meanwhile (if allowed).
    if preload:
        WebDriverWait(fresh_browser, 120, poll_frequency=1).until(
            lambda d: kernel_pool(d, "python").get("spare") == "ready")
    else:  # nothing was started for a page that only shows a block (a scan takes well under 1 s)
        time.sleep(3)
        assert offscreen_documents(fresh_browser) == 0
    fresh_browser.execute_script(_RECORD_STATES, panel.host)
    assert panel.run(120) == "success" and panel.stream("stdout") == "ready\n"
    states = fresh_browser.execute_script("return window.__states")
    if preload:
        assert "loading" not in states, states
    else:
        assert "loading" in states, states
