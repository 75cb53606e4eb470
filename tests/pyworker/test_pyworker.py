"""The Python worker (extension/offscreen/py-worker.js + py-client.js) in a real headless Chromium,
crossOriginIsolated like the offscreen document. One browser and one warm interpreter for the
module; each test uses its own namespace."""
from __future__ import annotations

import base64
import json

import pytest

pytestmark = pytest.mark.browser


def test_load_reports_progress_and_isolation(harness):
    loaded = harness.load()
    assert harness.call("H.isolated") is True
    assert loaded["version"] == "0.27.7"
    assert {"numpy", "pandas", "matplotlib", "micropip"} <= set(loaded["packages"])
    assert loaded["progress"], "no progress events while loading"
    print(f"cold load: {loaded['wallMs']} ms (worker: {loaded['loadMs']} ms)")


def test_print(harness):
    r = harness.run("print('hello'); print('world')", namespace="t-print")
    assert r["status"] == "success"
    assert r["stdout"] == "hello\nworld\n"
    assert r["done"]["durationMs"] >= 0


def test_stdout_stderr_and_warm_run_is_fast(harness):
    r = harness.run("import sys\nprint('out')\nprint('err', file=sys.stderr)", namespace="t-streams")
    assert r["stdout"] == "out\n" and r["stderr"] == "err\n"
    r = harness.run("x = 1", namespace="t-streams")
    assert r["status"] == "success"
    print(f"warm run: {r['wallMs']} ms")
    assert r["wallMs"] < 1000
