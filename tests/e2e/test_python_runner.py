"""The Python runner through Run panels: Pyodide in the offscreen document, shared by all tabs."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .browser import extension_url
from .pages import BlankPage, set_settings
from .test_runner_lifecycle import stop_service_worker

LOAD = 120  # generous: the first run loads Pyodide (3-5 s here, more on a busy CI machine)
# Generous limits for the module (imports of pandas/matplotlib take seconds on a busy machine);
# the time-limit tests set a short one of their own.
SETTINGS = {"timeoutMs": {"python": 60000}, "preloadRuntimes": True}
SHORT_LIMIT = {"timeoutMs": {"python": 3000}, "preloadRuntimes": True}


@pytest.fixture(scope="module")
def page(browser, pages):
    set_settings(browser, SETTINGS)
    return BlankPage(browser, pages.url("pages/blank.html")).open()


@pytest.fixture
def blank(page):
    page.clear()
    return page


def run_py(blank, code, title=None, timeout=LOAD):
    panel = blank.add_block("python", code, title=title)
    return panel, panel.run(timeout)


def test_print_and_last_expression(blank):
    panel, state = run_py(blank, "print('hello', 42)\nx = [1, 2, 3]\n{'sum': sum(x)}")
    assert state == "success", panel.stream("error")
    assert panel.stream("stdout") == "hello 42\n"
    assert panel.stream("return") == "{'sum': 6}"


def test_stdout_streams_while_running(blank, browser):
    panel = blank.add_block("python", "import time\nprint('first', flush=True)\ntime.sleep(1.5)\nprint('second')")
    panel.click("run")
    WebDriverWait(browser, LOAD, poll_frequency=0.05).until(lambda d: panel.stream("stdout") == "first\n")
    seen_first = time.monotonic()
    assert panel.state == "running"
    assert panel.wait_final(10) == "success"
    assert panel.stream("stdout") == "first\nsecond\n"
    assert time.monotonic() - seen_first > 1.0


def test_exception_line_numbers_match_the_block(blank):
    panel, state = run_py(blank, "a = 1\n\ndef f():\n    return 1 / 0\n\nf()", title="Divide")
    assert state == "error"
    error = panel.stream("error")
    assert "ZeroDivisionError: division by zero" in error
    # The marker is line 1 on the page, so the code's line 4 is the user's line 5.
    assert "line 5" in error and "line 7" in error
    assert "pyodide" not in error.lower() and "_pyodide" not in error


def test_input_shows_a_box_and_continues(blank, browser):
    panel = blank.add_block("python", "name = input('Your name? ')\nprint(f'Hi {name}!')")
    panel.click("run")
    panel.wait_state("awaiting-input", LOAD)
    assert "Your name? " in panel.stream("stdout")
    field = panel.find('input[data-role="input"]')
    field.send_keys("Ada", Keys.ENTER)
    assert panel.wait_final(10) == "success"
    assert panel.stream("stdout").endswith("Hi Ada!\n")


def test_page_cannot_answer_input(blank, browser):
    panel = blank.add_block("python", "print(input())")
    panel.click("run")
    panel.wait_state("awaiting-input", LOAD)
    browser.execute_script(
        "const root = arguments[0].shadowRoot; const f = root.querySelector('input[data-role=input]');"
        "f.value = 'forged'; f.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));"
        "root.querySelector('button[data-action=send-input]').click();"
        "root.querySelector('form').requestSubmit();",
        panel.host,
    )
    time.sleep(0.8)
    assert panel.state == "awaiting-input"
    panel.click("stop")  # Stop works while waiting for input
    assert panel.wait_final(10) == "stopped"


def test_stop_endless_loop_keeps_interpreter_warm(blank):
    run_py(blank, "warm_value = 7")
    panel = blank.add_block("python", "while True:\n    pass")
    assert panel.run_then_stop(after=0.5) == "stopped"
    assert panel.stream("error").endswith("KeyboardInterrupt\n")
    assert "restarted" not in panel.notice
    started = time.monotonic()
    again, state = run_py(blank, "print(warm_value)")
    assert state == "success" and again.stream("stdout") == "7\n"
    assert time.monotonic() - started < 5  # no reload: the interpreter stayed warm


def test_stop_during_sleep_restarts_python_and_says_so(blank):
    panel = blank.add_block("python", "import time\ntime.sleep(60)")
    assert panel.run_then_stop() == "stopped"
    assert "restarted" in panel.notice
    again, state = run_py(blank, "print('back')")
    assert state == "success" and again.stream("stdout") == "back\n"


def test_timeout_then_a_good_run(blank, browser):
    set_settings(browser, SHORT_LIMIT)
    try:
        panel, state = run_py(blank, "n = 0\nwhile True:\n    n += 1", timeout=LOAD)
        assert state == "timeout"
        assert "3 s time limit" in panel.notice
    finally:
        set_settings(browser, SETTINGS)
    again, state = run_py(blank, "print(6 * 7)")
    assert state == "success" and again.stream("stdout") == "42\n"


def test_numpy_and_pandas_table(blank, browser):
    panel, state = run_py(
        blank,
        "import numpy as np\nimport pandas as pd\nprint(np.arange(6).reshape(2, 3).sum())\n"
        "pd.DataFrame({'name': ['a', 'b'], 'n': [1, 2]})",
    )
    assert state == "success", panel.stream("error")
    assert panel.stream("stdout") == "15\n"
    cells = browser.execute_script(
        "return Array.from(arguments[0].shadowRoot.querySelectorAll('[data-stream=table] td'), c => c.textContent)",
        panel.host,
    )
    assert cells == ["a", "1", "b", "2"]


def test_two_matplotlib_figures_and_code_runs_once(blank, browser):
    code = (
        "import matplotlib.pyplot as plt\nprint('ran')\n"
        "plt.plot([1, 2, 3])\nplt.show()\n"
        "plt.figure()\nplt.bar(['a', 'b'], [3, 4])"
    )
    panel, state = run_py(blank, code)
    assert state == "success", panel.stream("error")
    assert panel.stream("stdout") == "ran\n"
    sizes = browser.execute_script(
        "return Array.from(arguments[0].shadowRoot.querySelectorAll('[data-stream=figure] img'),"
        " i => i.complete ? i.naturalWidth : -1)",
        panel.host,
    )
    assert len(sizes) == 2 and all(w > 100 for w in sizes)


def test_namespace_shared_on_a_page_not_across_pages_and_reset(blank, browser, pages):
    run_py(blank, "shared = 'page one'")
    panel, state = run_py(blank, "print(shared)")
    assert panel.stream("stdout") == "page one\n"
    # Another conversation (another page) in another tab never sees those variables.
    original = browser.current_window_handle
    browser.switch_to.new_window("tab")
    other = BlankPage(browser, pages.url("pages/conversation-2.html")).open()
    elsewhere, state = run_py(other, "print(shared)")
    assert state == "error" and "NameError" in elsewhere.stream("error")
    browser.close()
    browser.switch_to.window(original)
    # Reset clears this page's variables.
    panel.click("reset")
    WebDriverWait(browser, 10).until(lambda d: "cleared" in panel.notice)
    after, state = run_py(blank, "print(shared)")
    assert state == "error" and "NameError" in after.stream("error")


ISOLATION = {
    "fetch": "import js\nawait js.fetch(HIT)",
    "pyfetch": "from pyodide.http import pyfetch\nawait pyfetch(HIT)",
    "xhr": "import js\nx = js.XMLHttpRequest.new()\nx.open('GET', HIT, False)\nx.send()",
    "indexeddb": "import js\njs.indexedDB.open('chatrun-runs')",
    "chrome": "import js\njs.chrome.storage.local.get('account')",
    "open_url": "from pyodide.http import open_url\nopen_url(HIT)",
    "websocket": "import js\njs.WebSocket.new(HIT.replace('http', 'ws'))",
    "eventsource": "import js\njs.EventSource.new(HIT)",
    "fontface": "import js\nawait js.FontFace.new('f', f'url({HIT})').load()",
    "importScripts": "import js\njs.importScripts(HIT)",
    # The original fetch, looked for on every prototype of the global scope.
    "fetch-prototype": ("import js\np = js.Object.getPrototypeOf(js.globalThis)\n"
                        "while p is not None:\n"
                        "    d = js.Object.getOwnPropertyDescriptor(p, 'fetch')\n"
                        "    if d is not None:\n        await d.value.call(js.globalThis, HIT)\n"
                        "    p = js.Object.getPrototypeOf(p)\n"
                        "raise RuntimeError('no fetch found')"),
    "function-constructor": "import js\nawait js.Function('u', 'return fetch(u)')(HIT)",
    "nested-worker": "import js\njs.Worker.new(HIT)",
    "compileStreaming": "import js\nawait js.WebAssembly.compileStreaming(js.fetch(HIT))",
    "package": "import pyodide_js\nawait pyodide_js.loadPackage(HIT + '/x-1.0-py3-none-any.whl')\nraise RuntimeError('returned')",
}


@pytest.mark.parametrize("name", sorted(ISOLATION))
def test_python_code_is_isolated(blank, pages, name):
    # Every probe fails inside the run, and the loopback hit counter stays at 0.
    code = f"HIT = '{pages.url('__hit/py-' + name)}'\n{ISOLATION[name]}"
    panel, state = run_py(blank, code)
    assert state == "error", panel.stream("stdout") + panel.stream("return")
    assert not [h for h in pages.hits if "py-" in h], "Python code reached the network"


def test_input_wait_survives_service_worker_stop(blank, browser):
    panel = blank.add_block("python", "answer = input('Ready? ')\nprint('got', answer)")
    panel.click("run")
    panel.wait_state("awaiting-input", LOAD)
    stop_service_worker(browser)
    panel.find('input[data-role="input"]').send_keys("yes", Keys.ENTER)
    assert panel.wait_final(15) == "success"
    assert panel.stream("stdout").endswith("got yes\n")


def test_trusted_package_index_installs_what_is_not_bundled(browser, pages):
    from .package_mirror import PackageMirror

    mirror = PackageMirror()
    try:
        page = BlankPage(browser, pages.url("pages/blank.html")).open()
        code = "import micropip\nawait micropip.install('chatrun-demo')\nimport chatrun_demo\nprint(chatrun_demo.hello())"
        # Off by default: nothing reaches the index.
        panel = page.add_block("python", code)
        assert panel.run(LOAD) == "error"
        assert mirror.hits == []
        set_settings(browser, {"timeoutMs": {"python": 30000}, "pythonPackageIndex": mirror.index_url})
        page = BlankPage(browser, pages.url("pages/blank.html")).open()
        panel = page.add_block("python", code)
        assert panel.run(LOAD) == "success", panel.stream("error")
        assert panel.stream("stdout") == "hello from the trusted index\n"
        # The index is trusted, not the network: anything else stays blocked.
        other = page.add_block("python", f"import js\nawait js.fetch('{pages.url('__hit/py-index-other')}')")
        assert other.run(LOAD) == "error"
        assert not [h for h in pages.hits if "py-index-other" in h]
    finally:
        set_settings(browser, SETTINGS)
        mirror.close()


def test_figures_show_on_a_page_whose_csp_forbids_data_images(browser, pages):
    from .pages import ChatPage

    page = ChatPage(browser, pages.url("pages/strict-csp.html")).open()
    (panel,) = page.wait_panels(1)
    assert panel.run(LOAD) == "success", panel.stream("error")
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "const f = arguments[0].shadowRoot.querySelector('[data-stream=figure]');"
        "const el = f && f.querySelector('img, canvas');"
        "return el && (el.tagName === 'CANVAS' ? el.width : el.naturalWidth) > 100;", panel.host))


def test_settings_a_page_could_write_do_not_open_the_network(blank, browser, pages):
    # storage.sync is writable by content scripts (so by a compromised page renderer): putting
    # runner settings there must change nothing. They are read from storage.local only.
    set_settings(browser, SHORT_LIMIT)
    browser.get(extension_url("options/options.html"))
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "chrome.storage.sync.set({settings: {userCodeNetwork: true, pythonPackageIndex: arguments[0],"
        " timeoutMs: {python: 600000}}}).then(() => done(true));", pages.url("__hit/index"))
    page = BlankPage(browser, pages.url("pages/blank.html")).open()
    panel = page.add_block("python", f"import js\nawait js.fetch('{pages.url('__hit/py-sync-settings')}')")
    assert panel.run(LOAD) == "error" and "Network access is off" in panel.stream("error")
    slow = page.add_block("python", "while True:\n    pass")
    assert slow.run(LOAD) == "timeout" and "3 s" in slow.notice  # still the runner settings' limit
    assert not [h for h in pages.hits if "py-sync-settings" in h or "index" in h]
    set_settings(browser, SETTINGS)


def test_missing_package_is_named_and_said_to_be_unavailable_offline(blank):
    panel, state = run_py(blank, "import numpy\nimport scipy")
    assert state == "error"
    error = panel.stream("error")
    assert "ModuleNotFoundError" in error and "'scipy' is not available offline" in error
    assert "line 2" in error
