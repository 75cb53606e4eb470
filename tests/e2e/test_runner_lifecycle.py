"""The runners' lifecycle: one offscreen document shared by all tabs and rebuilt when gone; runs
that outlive the service worker's idle stop."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from .browser import extension_url
from .pages import BlankPage

_FIND_STOP = """
function deep(root) {
  for (const el of root.querySelectorAll('*')) {
    if (el.matches('cr-button[data-command="stop"]')) return el;
    if (el.shadowRoot) { const found = deep(el.shadowRoot); if (found) return found; }
  }
  return null;
}
const stop = deep(document);
if (stop) stop.click();
return Boolean(stop);
"""

_RUNNING_STATUS = """
return Array.from(document.querySelectorAll('.serviceworker-running-status .value'), e => e.textContent.trim());
"""


def stop_service_worker(driver) -> None:
    """Stop the extension's service worker the way chrome://serviceworker-internals does."""
    original = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get("chrome://serviceworker-internals/")
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(_FIND_STOP))
    WebDriverWait(driver, 10).until(lambda d: "STOPPED" in d.execute_script(_RUNNING_STATUS))
    driver.close()
    driver.switch_to.window(original)


def in_extension_tab(driver, async_script: str, *args):
    """Run an async script in a fresh tab of the extension's options page, then come back."""
    original = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(extension_url("options/options.html"))
    result = driver.execute_async_script(async_script, *args)
    driver.close()
    driver.switch_to.window(original)
    return result


_KERNEL_POOL = """
const [language, done] = arguments;
chrome.runtime.sendMessage({target: 'offscreen', type: 'kernel-status'})
  .then((r) => done(r.pools.find((p) => p.language === language) || {}), (e) => done({error: String(e)}));
"""


def kernel_pool(driver, language: str) -> dict:
    """The offscreen document's pool for a language ({spare, kernels, ...}), as the options page sees it;
    {} when no kernel of it was ever asked for, {error} when the offscreen document is not there."""
    return in_extension_tab(driver, _KERNEL_POOL, language)


def offscreen_documents(driver) -> int:
    return in_extension_tab(driver, "const done = arguments[0];"
                            "chrome.runtime.getContexts({contextTypes: ['OFFSCREEN_DOCUMENT']}).then(c => done(c.length));")


def close_offscreen_document(driver) -> None:
    in_extension_tab(driver, "const done = arguments[0]; chrome.offscreen.closeDocument().then(() => done(true));")


@pytest.fixture
def blank(browser, pages):
    return BlankPage(browser, pages.url("pages/blank.html")).open()


def test_run_delivers_output_after_the_service_worker_stops(browser, blank):
    panel = blank.add_block(
        "javascript", "console.log('early');\nawait new Promise(r => setTimeout(r, 4000));\nconsole.log('late');"
    )
    panel.click("run")
    panel.wait_state("running", 5)
    stop_service_worker(browser)
    assert panel.wait_final(20) == "success"
    assert panel.stream("log") == "early\nlate\n"
    # The next run wakes the service worker again.
    again = blank.add_block("javascript", "console.log('next')")
    assert again.run() == "success" and again.stream("log") == "next\n"


def test_one_offscreen_document_serves_all_tabs_and_is_rebuilt_when_gone(browser, pages, blank):
    first = blank.add_block("javascript", "console.log('tab one')")
    assert first.run() == "success"
    original = browser.current_window_handle
    browser.switch_to.new_window("tab")
    other = BlankPage(browser, pages.url("pages/blank.html")).open()
    second = other.add_block("javascript", "console.log('tab two')")
    assert second.run() == "success" and second.stream("log") == "tab two\n"
    browser.close()
    browser.switch_to.window(original)
    assert offscreen_documents(browser) == 1

    close_offscreen_document(browser)
    assert offscreen_documents(browser) == 0
    assert first.run() == "success" and first.stream("log") == "tab one\n"
    assert offscreen_documents(browser) == 1


def test_stop_during_a_long_wait_is_immediate(blank):
    panel = blank.add_block("javascript", "await new Promise(r => setTimeout(r, 60000));")
    panel.click("run")
    panel.wait_state("running", 5)
    time.sleep(0.3)
    started = time.monotonic()
    panel.click("stop")
    assert panel.wait_final(5) == "stopped"
    assert time.monotonic() - started < 2
