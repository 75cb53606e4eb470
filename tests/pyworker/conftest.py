"""One local COOP/COEP server and one headless Chromium for the Python worker tests.

The server serves extension/ at / and this folder at /__harness__/ with
Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, so the
harness page is crossOriginIsolated like the offscreen document (SharedArrayBuffer, Atomics.wait).
"""
from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class IsolatedHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".py": "text/plain; charset=utf-8",
        ".json": "application/json",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
    }

    def translate_path(self, path):
        prefix = "/__harness__/"
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if clean.startswith(prefix):
            return str(HERE / clean[len(prefix):])
        return super().translate_path(path)

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")  # for the allowNetwork test only
        super().end_headers()

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="session")
def pyworker_server():
    if not (EXTENSION / "vendor" / "pyodide" / "pyodide.asm.wasm").is_file():
        pytest.skip("extension/vendor/pyodide is empty: run scripts/setup (vendor_pyodide.py)")
    handler = functools.partial(IsolatedHandler, directory=str(EXTENSION))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def start_chromium(profile: str, extra_args=()):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", *extra_args):
        opts.add_argument(flag)
    driver = webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))
    driver.set_script_timeout(180)
    return driver


def open_harness(driver, url: str) -> "Harness":
    driver.get(url)
    driver.execute_async_script(
        "const done = arguments[0];"
        "(function wait(){ window.H ? done(true) : setTimeout(wait, 20); })();")
    return Harness(driver)


def need_chromium():
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver")


@pytest.fixture(scope="module")
def harness(pyworker_server):
    """The harness page in one headless Chromium, with Pyodide loaded once."""
    need_chromium()
    profile = tempfile.mkdtemp(prefix="chatrun-pyworker-")
    driver = start_chromium(profile)
    try:
        yield open_harness(driver, f"{pyworker_server}/__harness__/harness.html")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Harness:
    def __init__(self, driver):
        self.driver = driver
        self.load_result = None

    def call(self, expr: str, *args):
        """Await `expr` (JS, may use args[0..]) in the page and return its value."""
        script = ("const done = arguments[arguments.length - 1]; const args = [...arguments].slice(0, -1);"
                  f"Promise.resolve().then(() => {expr}).then(done, (e) => done({{__error: String(e && e.stack || e)}}));")
        result = self.driver.execute_async_script(script, *args)
        if isinstance(result, dict) and "__error" in result:
            raise AssertionError(result["__error"])
        return result

    def load(self):
        if self.load_result is None:
            self.load_result = self.call("H.load()")
        return self.load_result

    def run(self, code: str, **opts):
        self.load()
        return self.call("H.run(args[0], args[1])", code, opts)
