"""HTML, CSS and SVG live preview (issue #11 part 3), in real Chromium: the document renders in an
isolated frame in the panel, its console reaches the panel's streams, it reaches neither the
network nor the page, CSS and JavaScript blocks of the message combine with the HTML above them,
and a page whose CSP forbids frames gets the preview in a tab."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from .pages import BlankPage, ChatPage


@pytest.fixture(scope="module")
def page(browser, pages):
    return BlankPage(browser, pages.url("pages/blank.html")).open()


@pytest.fixture
def blank(page):
    page.clear()
    return page


def in_preview(driver, frame_holder, script: str):
    """Run `script` inside the previewed document (the preview page's child frame), then come back."""
    frame = frame_holder() if callable(frame_holder) else frame_holder
    driver.switch_to.frame(frame)
    try:
        driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))
        return driver.execute_script(script)
    finally:
        driver.switch_to.default_content()


def preview_frame(panel):
    return panel.find('[data-role="preview-area"] iframe[data-role="preview"]')


def wait_for(predicate, timeout=10):
    return WebDriverWait(None, timeout, poll_frequency=0.05).until(lambda _: predicate())


PROBE = """<!DOCTYPE html>
<html><head><title>Probe</title><style>h1 { color: rgb(1, 2, 3); }</style></head>
<body><h1 id="t">Hello preview</h1>
<img src="{hit}img"><link rel="stylesheet" href="{hit}css">
<form id="f" action="{hit}form" method="post"><input name="q" value="1"></form>
<script>
console.log('hello', { a: 1 });
console.error('bad thing');
const reach = [];
for (const [name, probe] of [
  ['parent', () => parent.document.title], ['top', () => top.document.cookie],
  ['cookie', () => document.cookie], ['storage', () => localStorage.getItem('page_secret')],
]) { try { reach.push(name + '=' + probe()); } catch (e) { reach.push(name + ':' + e.name); } }
console.log(reach.join(' '));
fetch('{hit}fetch').then(() => console.log('fetch reached'), () => console.log('fetch refused'));
new Image().src = '{hit}image';
setTimeout(() => { throw new Error('late boom'); }, 0);
setTimeout(() => { window.open('{hit}popup'); document.getElementById('f').submit(); }, 50);
</script></body></html>"""


def test_html_block_renders_isolated_with_its_console(blank, browser, pages):
    panel = blank.add_block("html", PROBE.replace("{hit}", pages.url("__hit/")))
    assert panel.language == "html"
    run = panel.find('button[data-action="run"]')
    assert run.text == "Preview"
    assert panel.run() == "success"
    wait_for(lambda: "fetch refused" in panel.stream("log") and "late boom" in panel.stream("error"))
    log = panel.stream("log")
    assert log.startswith("hello { a: 1 }\n")
    # No way to the page: parent/top are another origin, and the document's own origin is opaque.
    assert "parent:SecurityError top:SecurityError cookie:SecurityError storage:SecurityError" in log
    assert "page_secret" not in log and "cookie-value" not in log
    assert panel.stream("error") == "bad thing\nUncaught Error: late boom (line 17 of the preview)\n"
    # It rendered, with its own style.
    shown = in_preview(browser, lambda: preview_frame(panel),
                       "const h = document.getElementById('t');"
                       "return [h.textContent, getComputedStyle(h).color, origin];")
    assert shown == ["Hello preview", "rgb(1, 2, 3)", "null"]
    assert pages.hits == [], "the previewed document reached the network"


def test_a_previewed_document_cannot_navigate_to_the_network(blank, pages):
    panel = blank.add_block("html", f"<p>bye</p><script>onload = () => {{ location.href = '{pages.url('__hit/navigate')}'; }};</script>")
    assert panel.run() == "success"
    time.sleep(1)
    assert pages.hits == [], "the previewed document navigated to the network"
