"""The Run panel as a user meets it: look, text-only output, clear, copy, keyboard."""
from __future__ import annotations

import time

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from .pages import BlankPage, ChatPage


def test_panel_follows_dark_pages_and_ignores_page_css(browser, pages):
    page = ChatPage(browser, pages.url("pages/dark.html")).open()
    (panel,) = page.wait_panels(1)
    assert panel.host.get_attribute("data-theme") == "dark"
    run = panel.button("run")
    assert run.is_displayed()  # the page hides every <button>, but not ours
    assert run.value_of_css_property("font-size") != "40px"
    assert panel.run() == "success" and panel.stream("log") == "dark page\n"


def test_light_page_gets_light_panel(browser, pages):
    page = ChatPage(browser, pages.url("chat-pages/chatgpt.html")).open()
    assert {p.host.get_attribute("data-theme") for p in page.wait_panels(4)} == {"light"}


def test_output_is_text_never_html(browser, pages):
    page = BlankPage(browser, pages.url("pages/blank.html")).open()
    panel = page.add_block("javascript", "console.log('<img src=x onerror=\"window.pwned=1\"><b>bold</b>')")
    assert panel.run() == "success"
    assert panel.stream("log") == '<img src=x onerror="window.pwned=1"><b>bold</b>\n'
    assert browser.execute_script(
        "return arguments[0].shadowRoot.querySelectorAll('[data-role=output] img, [data-role=output] b').length",
        panel.host,
    ) == 0
    assert browser.execute_script("return window.pwned === undefined")


def test_clear_and_copy_output(browser, pages):
    page = BlankPage(browser, pages.url("pages/blank.html")).open()
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": pages.base_url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    panel = page.add_block("javascript", "console.log('copy me'); console.warn('and me'); 42")
    assert panel.run() == "success"
    panel.click("copy")
    WebDriverWait(browser, 5).until(lambda d: panel.button("copy").text == "Copied")
    clipboard = browser.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('ERR ' + e.message));")
    assert clipboard == "copy me\nand me\n42"
    panel.click("clear")
    assert panel.stream("log") == "" and panel.chunk_count() == 0


def test_buttons_have_names_and_work_from_the_keyboard(browser, pages):
    page = BlankPage(browser, pages.url("pages/blank.html")).open()
    panel = page.add_block("javascript", "console.log('keyboard')")
    for action in ("run", "stop", "edit", "clear", "copy"):
        assert panel.button(action).get_attribute("aria-label")
    panel.button("run").send_keys(Keys.ENTER)  # focus + Enter: a trusted keyboard activation
    assert panel.wait_final() == "success" and panel.stream("log") == "keyboard\n"


def test_long_output_scrolls_inside_the_panel(browser, pages):
    page = BlankPage(browser, pages.url("pages/blank.html")).open()
    panel = page.add_block("javascript", "for (let i = 0; i < 500; i++) console.log(i)")
    assert panel.run() == "success"
    height, scroll = browser.execute_script(
        "const o = arguments[0].shadowRoot.querySelector('[data-role=output] .text-run'); return [o.clientHeight, o.scrollHeight];",
        panel.host,
    )
    assert height <= 400 < scroll
    # Followed to its end as it was written.
    assert browser.execute_script(
        "const o = arguments[0].shadowRoot.querySelector('.text-run'); return o.scrollHeight - o.scrollTop - o.clientHeight;",
        panel.host,
    ) < 2


def test_turning_a_site_off_removes_panels_live_and_on_brings_them_back(browser, pages):
    from .pages import set_settings

    page = ChatPage(browser, pages.url("chat-pages/chatgpt.html")).open()
    page.wait_panels(4)
    original = browser.current_window_handle
    browser.switch_to.new_window("tab")
    set_settings(browser, {"disabledSites": ["127.0.0.1"]})
    browser.switch_to.window(original)
    page.wait_panels(0)  # no reload: the content script follows the setting
    browser.switch_to.window([h for h in browser.window_handles if h != original][0])
    set_settings(browser, {"disabledSites": []})
    browser.close()
    browser.switch_to.window(original)
    page.wait_panels(4)


# From the page's first script: every panel host ever added, even one removed again.
_COUNT_HOSTS = """
window.__hostsSeen = 0;
new MutationObserver((records) => {
  for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1 && n.matches('[data-code-runner]')) __hostsSeen++;
}).observe(document, {childList: true, subtree: true});
"""


def test_a_page_of_a_site_turned_off_never_shows_a_host(browser, pages):
    # The settings are read from document_start (content/early-settings.js) and applied before
    # the first scan when they are there by then; else the first scan reads the page while they
    # come and what it finds waits for them. Either way a site turned off never gets a host, not
    # even for a moment.
    from .pages import set_settings

    set_settings(browser, {"disabledSites": ["127.0.0.1"]})
    script = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _COUNT_HOSTS})["identifier"]
    try:
        ChatPage(browser, pages.url("pages/many-blocks.html?count=60&divs=0")).open()
        # The first scan ran (its task's measure, task-timing.js) ...
        WebDriverWait(browser, 10, poll_frequency=0.05).until(lambda d: d.execute_script(
            "return performance.getEntriesByName('chatrun:task').some((t) => t.detail === 'first scan');"))
        # ... and the settings came, whichever way: a read takes milliseconds.
        time.sleep(0.5)
        assert browser.execute_script("return __hostsSeen") == 0
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script})
        set_settings(browser, {"disabledSites": []})
    ChatPage(browser, pages.url("pages/many-blocks.html?count=60&divs=0")).open().wait_panels(60)  # on again
