"""Shared fixtures for browser tests: one test page server per session, one browser per module."""
from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path

import pytest

from .browser import preview_tabs, start_browser, stop_browser
from .servers import PageServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _fresh_bundles(tmp_path_factory):
    """Rebuild the bundles once per test run (under a second) so tests never run stale code.

    Under pytest-xdist every worker process asks; the first builds, under a lock, and the others
    find the mark it left in the run's shared temporary folder (rewriting a bundle while another
    worker's browser reads it would hand that browser half a file)."""
    build = ["node", "scripts/build_extension.mjs"]
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        subprocess.run(build, cwd=FIXTURES.parents[1], check=True)
        return
    shared = tmp_path_factory.getbasetemp().parent  # one folder for all workers of this run
    with open(shared / "bundles.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = shared / "bundles.built"
        if not built.exists():
            subprocess.run(build, cwd=FIXTURES.parents[1], check=True)
            built.touch()


@pytest.fixture(scope="session")
def pages():
    with PageServer(FIXTURES) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    driver, profile = start_browser()
    driver.chatrun_home = driver.current_window_handle  # the tab the module's pages live in
    yield driver
    stop_browser(driver, profile)


@pytest.fixture(autouse=True)
def _no_stray_tabs(request):
    """After each test, only the module's own tab is left, in front. A test that failed half-way
    (or a tab that opened late) would otherwise keep the next tests' page a background tab: no
    frames drawn, timers throttled, and they fail too."""
    yield
    if "browser" not in request.fixturenames:
        return
    driver = request.getfixturevalue("browser")
    handles = driver.window_handles
    home = driver.chatrun_home if driver.chatrun_home in handles else handles[0]
    for handle in handles:
        if handle != home:
            driver.switch_to.window(handle)
            driver.close()
    # ChromeDriver does not list a tab the extension opened on its own (a preview's tab): CDP does.
    for tab in preview_tabs(driver):
        driver.execute_cdp_cmd("Target.closeTarget", {"targetId": tab["targetId"]})
    driver.switch_to.window(home)


@pytest.fixture(autouse=True)
def _mark_browser(request):
    request.node.add_marker(pytest.mark.browser)
