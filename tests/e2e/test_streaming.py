"""A streamed answer gets exactly one panel, once the block is complete, holding the final code
— in all three ways sites stream: growing in place, re-rendering, swapping at the end."""
from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from .pages import ChatPage

# Records, from the page's side, every moment a panel host exists while the answer streams.
_WATCH = """
window.__panelLog = {maxPanels: 0, duringStream: 0};
new MutationObserver(() => {
  const n = document.querySelectorAll('[data-code-runner]').length;
  __panelLog.maxPanels = Math.max(__panelLog.maxPanels, n);
  if (n && document.documentElement.getAttribute('data-fixture-stream') === 'streaming') __panelLog.duringStream++;
}).observe(document.documentElement, {childList: true, subtree: true});
"""


@pytest.mark.parametrize("mode", ["inplace", "rerender", "swap"])
def test_streamed_block_gets_one_panel_with_final_code(browser, pages, mode):
    page = ChatPage(browser, pages.url(f"chat-pages/streaming.html?mode={mode}&start=800&delay=25")).open()
    browser.execute_script(_WATCH)
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return window.__fixtureStream && window.__fixtureStream.done")
    )
    (expected,) = page.expected()
    (panel,) = page.wait_panels(1, settle=1.5)
    log = browser.execute_script("return window.__panelLog")
    assert log["maxPanels"] == 1, "a panel was duplicated"
    assert log["duringStream"] == 0, "a panel appeared before the block was complete"
    assert (panel.language, panel.title) == ("python", expected["title_or_null"])
    # The panel sits right after the final block and holds its final code.
    assert browser.execute_script(
        "return arguments[0].previousElementSibling === document.querySelector('.markdown pre')", panel.host
    )
    panel.click("edit")
    assert panel.editor_text() == expected["code_to_run"]
    panel.click("edit")
    assert panel.run(timeout=90) == "success"
    assert panel.stream("stdout") == expected["expected_stdout"]


def test_restarted_stream_replaces_the_panel_without_duplicates(browser, pages):
    page = ChatPage(browser, pages.url("chat-pages/streaming.html?mode=rerender&start=200&delay=15")).open()
    page.wait_panels(1, timeout=20)
    browser.execute_script("window.__restartStream()")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return window.__fixtureStream.done"))
    (panel,) = page.wait_panels(1, settle=1.5)
    assert panel.title == "Streaming Total"
