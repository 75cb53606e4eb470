"""A page with 1,000 code blocks: every block gets its panel, inline code none, and blocks run."""
from __future__ import annotations

from .pages import ChatPage


def test_thousand_blocks_all_get_panels(browser, pages):
    page = ChatPage(browser, pages.url("pages/many-blocks.html")).open()
    panels = page.wait_panels(1000, timeout=60, settle=1.0)
    languages = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-code-runner]'), h => h.dataset.language)"
    )
    assert languages == ["javascript", "typescript", "python"] * 333 + ["javascript"]
    assert browser.execute_script("return document.querySelectorAll('p [data-code-runner]').length") == 0
    last = panels[-1]
    assert last.run() == "success" and last.stream("log") == "999\n"
