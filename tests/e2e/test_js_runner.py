"""The JavaScript / TypeScript runner, driven through Run panels on a real page."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.keys import Keys

from .pages import BlankPage, set_settings


@pytest.fixture(scope="module")
def page(browser, pages):
    set_settings(browser, {"timeoutMs": {"javascript": 3000, "typescript": 3000}})
    return BlankPage(browser, pages.url("pages/blank.html")).open()


@pytest.fixture
def blank(page):
    page.clear()
    return page


def run_js(blank, code, language="javascript", timeout=30):
    panel = blank.add_block(language, code)
    state = panel.run(timeout)
    return panel, state


def test_console_formatting_like_node(blank):
    panel, state = run_js(blank, "console.log('a', 1, [1, 2], {x: 1}); console.log({n: {m: {k: {deep: 1}}}}, 'x%sy', 'z');")
    assert state == "success"
    assert panel.stream("log") == "a 1 [ 1, 2 ] { x: 1 }\n{ n: { m: { k: [Object] } } } x%sy z\n"


def test_console_streams_and_cycles(blank):
    code = "const o = {name: 'o'}; o.self = o; console.info(o); console.warn('careful'); console.error(new Map([[1, 'a']])); console.debug(null, undefined);"
    panel, state = run_js(blank, code)
    assert state == "success"
    assert panel.stream("info") == "<ref *1> { name: 'o', self: [Circular *1] }\n"
    assert panel.stream("warn") == "careful\n"
    assert panel.stream("error") == "Map(1) { 1 => 'a' }\n"
    assert panel.stream("debug") == "null undefined\n"


def test_last_expression_value_is_shown_and_undefined_is_not(blank):
    panel, state = run_js(blank, "const xs = [1, 2, 3];\nxs.map(x => x * 2)")
    assert state == "success"
    assert panel.stream("return") == "[ 2, 4, 6 ]"
    panel, state = run_js(blank, "let y = 1;\nconsole.log(y)")
    assert panel.stream("return") == "" and panel.stream("log") == "1\n"


def test_async_code_timers_and_top_level_await(blank):
    code = (
        "const wait = (ms) => new Promise(r => setTimeout(r, ms));\n"
        "setTimeout(() => console.log('timer'), 300);\n"
        "await wait(100);\n"
        "console.log('after await');\n"
        "Promise.resolve(7).then(v => console.log('then', v));\n"
        "'done'"
    )
    panel, state = run_js(blank, code)
    assert state == "success"
    assert panel.stream("log") == "after await\nthen 7\ntimer\n"
    assert panel.stream("return") == "'done'"


def test_runtime_error_reports_message_and_user_line(blank):
    panel, state = run_js(blank, "const a = 1;\n\nfunction boom() {\n  return null.x;\n}\nboom();")
    assert state == "error"
    error = panel.stream("error")
    assert "TypeError: Cannot read properties of null (reading 'x')" in error
    assert "at boom (line 4:" in error and "line 6:" in error


def test_error_line_counts_the_marker_line_the_user_sees(blank):
    panel = blank.add_block("javascript", "console.log('ok');\nundefinedFunction();", title="Marked")
    assert panel.title == "Marked"
    assert panel.run() == "error"
    assert "ReferenceError: undefinedFunction is not defined" in panel.stream("error")
    assert "line 3:" in panel.stream("error")  # marker is line 1 on the page
    assert panel.stream("log") == "ok\n"


def test_syntax_error_with_position(blank):
    panel, state = run_js(blank, "const ok = 1;\nconst = 2;")
    assert state == "error"
    assert panel.stream("error").startswith("SyntaxError: Unexpected token (line 2, column 7)")


def test_module_imports_get_a_clear_error(blank):
    panel, state = run_js(blank, "// a Node-style answer\nimport fs from 'fs';\nconsole.log(fs)")
    assert state == "error"
    assert panel.stream("error").startswith("SyntaxError: import/export statements are not supported (line 2)")


def test_unhandled_rejection_is_an_error(blank):
    panel, state = run_js(blank, "Promise.reject(new RangeError('nope'));")
    assert state == "error"
    assert "Uncaught (in promise) RangeError: nope" in panel.stream("error")


def test_typescript_types_stripped_line_numbers_kept(blank):
    code = (
        "interface Point {\n  x: number;\n  y: number;\n}\n"
        "const p: Point = { x: 1, y: 2 };\n"
        "function len(q: Point): number { return Math.hypot(q.x, q.y); }\n"
        "console.log(len(p).toFixed(3));\n"
        "enum Color { Red, Green }\n"
        "console.log(Color.Green);\n"
        "throw new Error('line ten');"
    )
    panel, state = run_js(blank, code, language="ts")
    assert panel.language == "typescript"
    assert state == "error"
    assert panel.stream("log") == "2.236\n1\n"
    assert "Error: line ten" in panel.stream("error") and "line 10:" in panel.stream("error")


def test_each_run_gets_a_fresh_global_scope(blank):
    panel, _ = run_js(blank, "globalThis.leak = 42; var leaked = 1; console.log('set')")
    panel2, state = run_js(blank, "console.log(typeof leak, typeof leaked)")
    assert state == "success"
    assert panel2.stream("log") == "undefined undefined\n"
    assert panel.run() == "success"  # and a block can run again


def test_stop_ends_an_endless_loop_and_next_run_is_fast(blank):
    panel = blank.add_block("javascript", "while (true) {}")
    panel.click("run")
    panel.wait_state("running", 5)
    time.sleep(0.3)
    panel.click("stop")
    assert panel.wait_final(5) == "stopped"
    good, state = run_js(blank, "console.log('next')")
    assert state == "success" and good.stream("log") == "next\n"


def test_timeout_then_a_good_run(blank):
    panel, state = run_js(blank, "let i = 0; while (true) { i++; }", timeout=15)
    assert state == "timeout"
    assert "time limit" in panel.notice
    good, state = run_js(blank, "console.log(6 * 7)")
    assert state == "success" and good.stream("log") == "42\n"


def test_endless_interval_times_out(blank):
    panel, state = run_js(blank, "setInterval(() => {}, 50); console.log('started')", timeout=15)
    assert state == "timeout"
    assert panel.stream("log") == "started\n"


def test_output_flood_is_capped_and_page_stays_responsive(blank, browser):
    # 2e6 lines: about 27 MB, far over the 1 MB kept, and within the time limit on a busy machine
    panel, state = run_js(blank, "for (let i = 0; i < 2e6; i++) console.log('line ' + i);", timeout=60)
    assert state == "success"
    log = panel.stream("log")
    assert log.startswith("line 0\nline 1\n")
    assert 900_000 <= len(log) <= 1_000_000
    assert "truncated" in panel.notice.lower()
    assert panel.chunk_count() < 200  # batched: not one DOM node per line
    t0 = time.monotonic()
    assert browser.execute_script("return 1 + 1") == 2
    assert time.monotonic() - t0 < 1.0


def test_memory_bomb_ends_the_run_and_next_run_works(blank):
    panel, state = run_js(blank, "const keep = []; while (true) keep.push(new Array(1e6).fill(1));", timeout=25)
    assert state in ("error", "timeout")
    good, state = run_js(blank, "console.log('alive')")
    assert state == "success" and good.stream("log") == "alive\n"


def test_edit_and_run_leaves_the_page_block_untouched(blank, browser):
    panel = blank.add_block("javascript", "console.log('original')")
    panel.edit("console.log('edited')")
    panel.editor().send_keys(Keys.CONTROL, Keys.ENTER)
    assert panel.wait_final() == "success"
    assert panel.stream("log") == "edited\n"
    assert browser.execute_script("return document.querySelector('#chat pre code').textContent") == "console.log('original')"
    # Closing the editor keeps the edit in force; Revert goes back to the page's code.
    panel.click("edit")
    assert panel.run() == "success" and panel.stream("log") == "edited\n"
    panel.click("revert")
    assert panel.run() == "success" and panel.stream("log") == "original\n"


def test_language_menu_corrects_a_wrong_guess(blank):
    panel = blank.add_block("javascript", "const n: number = 3;\nconsole.log(n)")
    panel.find('select[data-role="language"]').send_keys("TypeScript")  # trusted key input
    assert panel.language == "typescript"
    assert panel.run() == "success" and panel.stream("log") == "3\n"


def test_page_scripts_cannot_start_or_stop_runs(blank, browser):
    panel = blank.add_block("javascript", "console.log('should not run')")
    browser.execute_script(
        "const root = arguments[0].shadowRoot;"
        "root.querySelector('button[data-action=run]').click();"
        "root.querySelector('button[data-action=run]').dispatchEvent(new MouseEvent('click', {bubbles: true}));"
        "root.querySelector('button[data-action=more]').click();"  # the menu (and its Edit) stays unbuilt
        "root.querySelector('button[data-action=edit]')?.click();",
        panel.host,
    )
    time.sleep(1.0)
    assert panel.state == "idle" and panel.stream("log") == ""
    # Nor type Ctrl+Enter into an open editor.
    panel.click("edit")
    browser.execute_script(
        "arguments[0].dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', ctrlKey: true, bubbles: true}));",
        panel.editor(),
    )
    time.sleep(0.5)
    assert panel.state == "idle"
    # A real click still works afterwards.
    assert panel.run() == "success" and panel.stream("log") == "should not run\n"


ISOLATION_PROBES = {
    "fetch": "await fetch(HIT)",
    "xhr": "const x = new XMLHttpRequest(); x.open('GET', HIT, false); x.send();",
    "websocket": "new WebSocket(HIT.replace('http', 'ws'))",
    "importScripts": "importScripts(HIT)",
    "eventsource": "new EventSource(HIT)",
    "chrome": "chrome.runtime.sendMessage({})",
    "indexeddb": "indexedDB.open('x')",
    "dom": "document.cookie",
    "page-window": "window.pageSecret",
    "localstorage": "localStorage.getItem('page_secret')",
    "fontface": "await new FontFace('f', `url(${HIT})`).load()",
    "fetch-prototype": ("for (let p = Object.getPrototypeOf(globalThis); p; p = Object.getPrototypeOf(p)) {\n"
                        "  const d = Object.getOwnPropertyDescriptor(p, 'fetch');\n"
                        "  if (d) await d.value.call(globalThis, HIT);\n}\nthrow new Error('no fetch found');"),
    "function-constructor": "await Function('u', 'return fetch(u)')(HIT)",
    "nested-worker": "new Worker(HIT)",
    "blob-worker": ("const w = new Worker(URL.createObjectURL(new Blob([`fetch('${HIT}')`])));\n"
                    "await new Promise((r) => setTimeout(r, 500));"),
    "compileStreaming": "await WebAssembly.compileStreaming(fetch(HIT))",
    "post-to-sandbox": "postMessage({type: 'output', chunks: [{stream: 'log', text: 'forged'}]}); throw new Error('posted')",
}


@pytest.mark.parametrize("name", sorted(ISOLATION_PROBES))
def test_user_code_is_isolated(blank, pages, name):
    code = f"const HIT = '{pages.url('__hit/' + name)}';\n{ISOLATION_PROBES[name]}"
    panel, state = run_js(blank, code)
    assert state == "error", f"{name}: {panel.stream('log')} {panel.stream('return')}"
    assert pages.hits == [], "user code reached the network"
    assert "page_secret" not in panel.stream("error") and "value" not in panel.stream("return")


def test_user_code_sees_an_opaque_origin(blank):
    panel, state = run_js(blank, "console.log(self.origin, typeof chrome, typeof document, typeof caches)")
    assert state == "success"
    assert panel.stream("log") == "null undefined undefined undefined\n"
