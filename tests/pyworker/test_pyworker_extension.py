"""The Python worker in the extension's own origin (chrome-extension://), as the offscreen document
runs it: the manifest's CSP ('wasm-unsafe-eval'), COOP/COEP and host permissions apply. A temporary
copy of extension/ gets the harness page under __harness__/ (the real tree is not touched)."""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from .conftest import EXTENSION, HERE, need_chromium, open_harness, start_chromium

pytestmark = pytest.mark.browser


def extension_id(manifest: dict) -> str:
    digest = hashlib.sha256(base64.b64decode(manifest["key"])).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


@pytest.fixture(scope="module")
def ext_harness(pyworker_server):
    need_chromium()
    tmp = Path(tempfile.mkdtemp(prefix="chatrun-pyext-"))
    ext = tmp / "extension"
    shutil.copytree(EXTENSION, ext, symlinks=False)
    (ext / "__harness__").mkdir()
    for name in ("harness.html", "harness.js"):
        shutil.copy(HERE / name, ext / "__harness__" / name)
    manifest = json.loads((ext / "manifest.json").read_text())
    driver = start_chromium(str(tmp / "profile"), [f"--load-extension={ext}",
                                                   f"--disable-extensions-except={ext}"])
    try:
        yield open_harness(driver, f"chrome-extension://{extension_id(manifest)}/__harness__/harness.html")
    finally:
        driver.quit()
        shutil.rmtree(tmp, ignore_errors=True)


def test_runs_in_the_extension_origin(ext_harness):
    assert ext_harness.call("location.protocol") == "chrome-extension:"
    assert ext_harness.call("H.isolated") is True
    loaded = ext_harness.load()
    print(f"cold load in the extension origin: {loaded['wallMs']} ms")
    r = ext_harness.run("import numpy as np\nprint(np.arange(4).sum())\n'ok'", namespace="e")
    assert r["status"] == "success", r["error"]
    assert r["stdout"] == "6\n" and r["ret"] == "'ok'"


@pytest.mark.parametrize("code, needle", [
    ("import js\nawait js.fetch('http://127.0.0.1:1/')", "Network access is off"),
    ("import js\nawait js.fetch(js.location.origin + '/manifest.json')", "Network access is off"),
    ("import js\njs.chrome.runtime", "AttributeError: chrome"),
    # The extension's CSP refuses to make code from strings (no 'unsafe-eval'), so no new function
    # can reach what the allow-list removed.
    ("import js\njs.Function('return fetch')()", "EvalError"),
    ("import js\njs.eval('1 + 1')", "EvalError"),
    ("import js\njs.indexedDB.open('chatrun')", "indexedDB is not available"),
    ("import js\njs.caches", "caches is not available"),
    ("import js\njs.XMLHttpRequest.new()", "XMLHttpRequest is not available"),
])
def test_extension_state_and_network_are_out_of_reach(ext_harness, code, needle):
    r = ext_harness.run(code, namespace="e-iso")
    assert r["status"] == "error" and needle in r["error"], r["error"]
