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

from .browser import preview_tabs
from .pages import BlankPage, ChatPage
from .test_runner_lifecycle import in_extension_tab


@pytest.fixture(scope="module")
def page(browser, pages):
    return BlankPage(browser, pages.url("pages/blank.html")).open()


@pytest.fixture
def blank(page, browser):
    if browser.current_url != page.url:  # a test here went to another page
        page.open()
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


def wait_for(predicate, timeout=20):
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


_LOCAL_RUNS = """
const done = arguments[arguments.length - 1];
const open = indexedDB.open('chatrun-runs');
open.onsuccess = () => {
  const all = open.result.transaction('history').objectStore('history').getAll();
  all.onsuccess = () => done(all.result.sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1)));
};
"""


def local_runs(browser) -> list[dict]:
    """This device's history (IndexedDB, read from the extension's own page), oldest first."""
    return in_extension_tab(browser, _LOCAL_RUNS)


def test_css_and_javascript_blocks_combine_with_the_html_above(blank, browser):
    html = blank.add_block("html", '<div id="box">box</div>')
    css = blank.add_block("css", "#box { width: 123px; color: rgb(0, 128, 0); }")
    js = blank.add_block("javascript", "const box = document.getElementById('box');\n"
                         "console.log(getComputedStyle(box).width, box.textContent);")
    assert [p.language for p in (html, css, js)] == ["html", "css", "javascript"]
    assert css.find('button[data-action="run"]').text == "Preview"
    assert js.find('button[data-action="run"]').text == "Run"
    # The CSS block previews the HTML above it with its style.
    assert css.run() == "success"
    assert in_preview(browser, lambda: preview_frame(css),
                      "return getComputedStyle(document.getElementById('box')).color") == "rgb(0, 128, 0)"
    # The HTML block's History finds that run: its preview is the same document (the CSS below it).
    html.click("history")
    wait_for(lambda: html.host.shadow_root.find_elements(By.CSS_SELECTOR, '[data-role="history"] li[data-status="success"]'))
    # The JavaScript block, from its menu: the HTML above, its CSS, then the script.
    js.open_menu()
    item = js.find('button[data-action="preview-with-html"]')
    assert item.is_displayed() and item.text == "Preview with the HTML above"
    item.click()
    js.wait_final()
    wait_for(lambda: js.stream("log") == "123px box\n")
    # History: each preview is a run of language html whose code is the document that was shown.
    runs = wait_for(lambda: [r for r in local_runs(browser) if r["language"] == "html"][-2:] or None)
    assert [r["status"] for r in runs] == ["success", "success"]
    assert "#box { width: 123px" in runs[-1]["code"] and "getComputedStyle(box)" in runs[-1]["code"]
    assert runs[-1]["output"][0]["type"] == "log" and runs[-1]["output"][0]["content"] == "123px box\n"
    # A JavaScript block with no HTML above it is not offered the action.
    blank.clear()
    alone = blank.add_block("javascript", "console.log(1)")
    alone.open_menu()
    assert not alone.find('button[data-action="preview-with-html"]').is_displayed()


def test_frame_sizes_to_content_with_a_drag_handle_and_opens_in_a_tab(blank, browser):
    panel = blank.add_block("html", '<div style="height: 2000px">tall</div><script>console.log("tab ok")</script>')
    assert panel.run() == "success"
    frame = preview_frame(panel)
    wait_for(lambda: frame.size["height"] == 600)  # the document's height, up to the maximum
    handle = panel.find('[data-role="preview-handle"]')
    ActionChains(browser).click_and_hold(handle).move_by_offset(0, -200).release().perform()
    assert 380 <= frame.size["height"] <= 420
    short = blank.add_block("svg", '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="80"><rect width="50" height="80"/></svg>')
    assert short.language == "html" and short.run() == "success"
    wait_for(lambda: 80 <= preview_frame(short).size["height"] <= 100)
    # Open in a tab: the same document, full size, in the extension's preview page. ChromeDriver
    # neither lists nor switches to a tab the extension opened on its own: the tab is found over
    # CDP, and its title says it took the document the service worker kept for it.
    before = preview_tabs(browser)
    panel.find('button[data-action="open-tab"]').click()
    wait_for(lambda: len(preview_tabs(browser)) == len(before) + 1, timeout=60)  # slow on a busy machine
    shown = wait_for(lambda: [t["title"] for t in preview_tabs(browser) if t["title"].startswith("Chatrun preview · ")])
    assert shown == ["Chatrun preview · (127.0.0.1)"]  # the block has no title; the site it came from
    for tab in preview_tabs(browser):
        browser.execute_cdp_cmd("Target.closeTarget", {"targetId": tab["targetId"]})


def test_xml_is_previewed_only_when_its_root_is_svg(blank):
    svg = blank.add_block("xml", '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><circle r="5"/></svg>')
    assert svg.language == "html"
    blank.driver.execute_script(
        "const pre = document.createElement('pre'); pre.innerHTML = '<code class=\"language-xml\">&lt;note&gt;&lt;to&gt;Tove&lt;/to&gt;&lt;/note&gt;</code>';"
        "document.getElementById('chat').appendChild(pre);")
    time.sleep(0.5)
    assert len(blank.panels()) == 1


def test_a_page_that_forbids_frames_still_shows_the_preview(browser, pages):
    # frame-src 'none' does not apply to the extension's own frame in Chromium.
    page = ChatPage(browser, pages.url("pages/frame-csp.html")).open()
    (panel,) = page.wait_panels(1)
    assert panel.language == "html" and panel.run() == "success"
    wait_for(lambda: panel.stream("log") == "from the tab\n")
    assert in_preview(browser, lambda: preview_frame(panel), "return document.getElementById('t').textContent") == "Shown in a tab"


def test_a_page_that_refuses_the_frame_gets_the_preview_in_a_tab(browser, pages):
    page = ChatPage(browser, pages.url("pages/frame-csp.html?refuse")).open()
    (panel,) = page.wait_panels(1)
    before = preview_tabs(browser)
    assert panel.run(timeout=15) == "success"
    assert "opened in a tab" in panel.notice
    assert panel.host.shadow_root.find_elements(By.CSS_SELECTOR, "iframe") == []
    wait_for(lambda: len(preview_tabs(browser)) == len(before) + 1)
    # Close it and bring the test's tab to the front again (a background tab gets no frames).
    for tab in preview_tabs(browser):
        browser.execute_cdp_cmd("Target.closeTarget", {"targetId": tab["targetId"]})
    browser.switch_to.window(browser.current_window_handle)


def test_css_applies_to_an_html_block_whose_panel_is_not_built_yet(blank, browser):
    spacer = ("document.getElementById('chat').appendChild("
              "Object.assign(document.createElement('div'), {style: 'height: 6000px'}));")
    browser.execute_script(spacer)  # the HTML block is added far below the viewport
    html = blank.add_block("html", '<p id="far">far above</p>')
    browser.execute_script(spacer)
    css = blank.add_block("css", "#far { color: rgb(0, 0, 255); }")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", css.host)
    time.sleep(0.3)
    assert not browser.execute_script("return Boolean(arguments[0].shadowRoot)", html.host)  # a light host still
    assert css.run() == "success"
    assert in_preview(browser, lambda: preview_frame(css),
                      "const p = document.getElementById('far'); return [p.textContent, getComputedStyle(p).color];") \
        == ["far above", "rgb(0, 0, 255)"]
