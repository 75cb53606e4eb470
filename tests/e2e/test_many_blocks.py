"""A page with 1,000 <pre> blocks and 200 without one: every block gets its panel, inline code
none, and blocks run."""
from __future__ import annotations

from .pages import ChatPage

PRE_LANGUAGES = ["javascript", "typescript", "python"]
DIV_LANGUAGES = ["python", "javascript", "typescript", "javascript"]  # the page's four div shapes


def expected_languages(count=1000):
    languages = []
    for i in range(count):
        languages.append(PRE_LANGUAGES[i % 3])
        if i % 5 == 4:
            languages.append(DIV_LANGUAGES[(i // 5) % 4])
    return languages


def test_thousand_blocks_all_get_panels(browser, pages):
    page = ChatPage(browser, pages.url("pages/many-blocks.html")).open()
    panels = page.wait_panels(1200, timeout=60, settle=1.0)
    languages = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-code-runner]'), h => h.dataset.language)"
    )
    assert languages == expected_languages()
    assert browser.execute_script("return document.querySelectorAll('p [data-code-runner]').length") == 0
    # Every panel sits right after its whole block: the <pre>, or the div shape's frame.
    misplaced = browser.execute_script(
        "return Array.from(document.querySelectorAll('[data-code-runner]')).filter(h => {"
        " const block = h.previousElementSibling;"
        " return !block || !(block.matches('pre, .code-block, .frame') && h.parentElement.matches('article')); }).length"
    )
    assert misplaced == 0
    last = panels[-1]  # a read-only CodeMirror view
    assert last.run() == "success" and last.stream("log") == "199\n"
