"""Every fixture chat page: the panels found equal its #expected list, in order, none inside a
sentence or a block, and running each block (JavaScript, TypeScript, Python, SQL, R) prints exactly the
expected stdout."""
from __future__ import annotations

from pathlib import Path

import pytest

from .pages import ChatPage

FIXTURE_PAGES = sorted(
    p.name for p in (Path(__file__).resolve().parents[1] / "fixtures" / "chat-pages").glob("*.html")
    if p.name != "streaming.html"
)


@pytest.mark.parametrize("name", FIXTURE_PAGES)
def test_fixture_page_panels_and_output(browser, pages, name):
    page = ChatPage(browser, pages.url(f"chat-pages/{name}")).open()
    expected = page.expected()
    panels = page.wait_panels(len(expected))
    assert [(p.language, p.title) for p in panels] == [(e["language"], e["title_or_null"]) for e in expected]
    # Never inside a sentence (inline code) nor inside a block (a <pre>, a line list, an editor).
    assert browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-code-runner]'))"
        ".filter(h => h.parentElement.closest('p, code, pre, .line, .token-line, .cm-editor')).length"
    ) == 0
    for panel, block in zip(panels, expected):
        # A page may say which stream its expected_stdout is, and which tables a block shows.
        stream = block.get("stream") or ("stdout" if block["language"] == "python" else "log")
        assert panel.run(timeout=90) == "success", panel.stream("error") + panel.notice
        assert panel.stream(stream) == block["expected_stdout"]
        assert panel.stream("error") == "" and panel.stream("stderr") == ""
        if "expected_tables" in block:
            assert [{"columns": t["columns"], "rows": t["rows"]} for t in panel.tables()] == block["expected_tables"]


def test_inline_code_and_output_blocks_get_no_panel(browser, pages):
    page = ChatPage(browser, pages.url("chat-pages/chatgpt.html")).open()
    page.wait_panels(4)
    # No host sits inside a paragraph (inline code) and the unlabeled output block has none.
    assert browser.execute_script(
        "return document.querySelectorAll('p [data-code-runner], code [data-code-runner]').length"
    ) == 0
    hosts_after_output_block = browser.execute_script(
        "return Array.from(document.querySelectorAll('pre')).filter(p => p.textContent.includes('Output:'))"
        ".map(p => p.nextElementSibling && p.nextElementSibling.hasAttribute('data-code-runner'))"
    )
    assert hosts_after_output_block == [False]


def test_open_webui_keeps_its_own_run_button(browser, pages):
    page = ChatPage(browser, pages.url("chat-pages/open-webui.html")).open()
    page.wait_panels(4)
    native = browser.execute_script(
        "return Array.from(document.querySelectorAll('button.run-code-button'), b => "
        "[b.isConnected, b.closest('[data-code-runner]') === null, b.offsetParent !== null])"
    )
    assert native and all(all(flags) for flags in native)


def test_librechat_like_block_keeps_its_own_run_button(browser, pages):
    from selenium.webdriver.common.by import By

    page = ChatPage(browser, pages.url("pages/librechat-like.html")).open()
    (panel,) = page.wait_panels(1)
    assert panel.language == "python"
    # Our panel sits after the <pre>, outside the site's block; the site's Run still works.
    assert browser.execute_script("return arguments[0].previousElementSibling.tagName", panel.host) == "PRE"
    browser.find_element(By.ID, "site-run").click()
    assert browser.execute_script("return window.siteRunClicks") == 1
    assert panel.run(90) == "success" and panel.stream("stdout") == "from librechat\n"
