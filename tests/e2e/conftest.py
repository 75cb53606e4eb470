"""Shared fixtures for browser tests: one test page server per session, one browser per module."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .browser import start_browser, stop_browser
from .servers import PageServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _fresh_bundles():
    """Rebuild the bundles once per session (under a second) so tests never run stale code."""
    subprocess.run(["node", "scripts/build_extension.mjs"], cwd=FIXTURES.parents[1], check=True)


@pytest.fixture(scope="session")
def pages():
    with PageServer(FIXTURES) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    driver, profile = start_browser()
    yield driver
    stop_browser(driver, profile)


@pytest.fixture(autouse=True)
def _mark_browser(request):
    request.node.add_marker(pytest.mark.browser)
