"""A page with 1,000 <pre> blocks and 200 without one: every block gets its panel, inline code
none, and blocks run; blocks far from the viewport get their full panel when scrolled near."""
from __future__ import annotations

from selenium.webdriver.support.ui import WebDriverWait

from .browser import extension_url
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
    state = last.run()
    assert state == "success" and last.stream("log") == "199\n", (last.status_text, last.notice)


def test_far_blocks_get_full_panels_when_scrolled_near(browser, pages):
    # 60 answers: a few screens of blocks. Every block has its host at once; only those near the
    # viewport are filled, the others when the reader gets near them, and then they run.
    page = ChatPage(browser, pages.url("pages/many-blocks.html?count=60&divs=0")).open()
    panels = page.wait_panels(60, settle=0.5)
    assert [p.language for p in panels] == [PRE_LANGUAGES[i % 3] for i in range(60)]
    assert panels[0].is_full and not panels[-1].is_full
    waiting = [i for i, p in enumerate(panels) if not p.is_full]
    assert waiting and waiting == list(range(waiting[0], 60)), "only the blocks below the fold wait"

    far = panels[57]  # console.log(57)
    browser.execute_script("arguments[0].previousElementSibling.scrollIntoView({block: 'end'})", far.host)
    WebDriverWait(browser, 2, poll_frequency=0.02).until(lambda d: far.is_full)
    assert far.find("[data-action=run]").get_attribute("aria-label") == "Run, JavaScript block 58"
    assert far.run() == "success" and far.stream("log") == "57\n"  # a lazily filled panel runs

    # The keyboard command (as the service worker sends it) runs the block nearest the middle of
    # the window, in a part of the page that had only light hosts a moment ago.
    light = [i for i, p in enumerate(panels) if not p.is_full]
    browser.execute_script("arguments[0].previousElementSibling.scrollIntoView({block: 'center'})", panels[27].host)
    chat = browser.current_window_handle
    browser.switch_to.new_window("tab")
    browser.get(extension_url("options/options.html"))
    sent = browser.execute_async_script("""
        const done = arguments[0];
        chrome.tabs.getCurrent().then(async (me) => {
          const tabs = (await chrome.tabs.query({})).filter((t) => t.id !== me.id);
          done(await Promise.all(tabs.map((t) => chrome.tabs.sendMessage(t.id, {type: 'run-nearest-block'}).catch(() => null))));
        });""")
    browser.close()
    browser.switch_to.window(chat)
    assert {"ran": True} in sent
    (ran,) = [i for i, p in enumerate(panels) if p.state != "idle" and i != 57]
    assert ran in light and abs(ran - 27) <= 3
    stream = "stdout" if panels[ran].language == "python" else "log"
    assert panels[ran].wait_final(90) == "success" and panels[ran].stream(stream) == f"{ran}\n"
