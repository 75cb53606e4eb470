"""Page objects for chat pages with Run panels: tests talk to these, not to raw selectors."""
from __future__ import annotations

import json
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

FINAL_STATES = {"success", "error", "timeout", "stopped"}
# Actions in the panel's overflow menu (⋯); run, stop and copy are on its bar.
MENU_ACTIONS = {"edit", "history", "clear", "reset", "revert", "save", "ask"}

_STREAM_TEXT = """
const host = arguments[0], stream = arguments[1];
const out = host.shadowRoot.querySelector('[data-role="output"]');
return Array.from(out.querySelectorAll(`[data-stream="${stream}"]`), c => c.textContent).join('');
"""


# A block far from the viewport has a light host (no shadow root) until it is scrolled near.
_FULL = "const h = arguments[0]; return Boolean(h.shadowRoot && h.shadowRoot.querySelector('[data-action=run]'));"

_TABLES = """
return Array.from(arguments[0].shadowRoot.querySelectorAll('[data-role=output] [data-stream=table] table'), (t) => ({
  columns: Array.from(t.tHead.rows[0].cells, (c) => c.textContent),
  rows: Array.from(t.tBodies[0].rows, (r) => Array.from(r.cells, (c) => c.textContent)),
  caption: t.caption ? t.caption.textContent : null,
}));
"""


class Panel:
    """One Run panel: the host element `[data-code-runner]` and its shadow root."""

    def __init__(self, driver, host: WebElement):
        self.driver = driver
        self.host = host

    # -- hooks ---------------------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.host.get_attribute("data-language")

    @property
    def title(self) -> str | None:
        return self.host.get_attribute("data-title")

    @property
    def state(self) -> str:
        return self.host.get_attribute("data-state")

    @property
    def is_full(self) -> bool:
        return self.driver.execute_script(_FULL, self.host)

    def full(self) -> "Panel":
        """The full panel: a light host is scrolled near the viewport and filled there (a full
        panel stays full, so this asks the browser once per panel)."""
        if getattr(self, "_full", False):
            return self
        if not self.is_full:
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", self.host)
            WebDriverWait(self.driver, 10, poll_frequency=0.02).until(lambda d: self.is_full)
        self._full = True
        return self

    def find(self, selector: str) -> WebElement:
        return self.full().host.shadow_root.find_element(By.CSS_SELECTOR, selector)

    def button(self, action: str) -> WebElement:
        """The button of an action: in the bar, or in the overflow menu (built on first use)."""
        self.full()
        buttons = self.host.shadow_root.find_elements(By.CSS_SELECTOR, f'button[data-action="{action}"]')
        if not buttons and action in MENU_ACTIONS:
            self.open_menu()
            buttons = self.host.shadow_root.find_elements(By.CSS_SELECTOR, f'button[data-action="{action}"]')
        shown = [b for b in buttons if b.is_displayed()]
        if shown or not buttons:
            return (shown or buttons or [self.find(f'button[data-action="{action}"]')])[0]
        return buttons[0]

    def menu_open(self) -> bool:
        return self.driver.execute_script(
            "const m = arguments[0].shadowRoot.querySelector('.menu'); return Boolean(m && m.matches(':popover-open'));",
            self.host,
        )

    def open_menu(self) -> None:
        """Open the overflow menu (⋯) with a real click, as a user would."""
        if self.menu_open():
            return
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", self.host)
        self.find('button[data-action="more"]').click()
        WebDriverWait(self.driver, 5, poll_frequency=0.05).until(lambda d: self.menu_open())

    def stream(self, name: str) -> str:
        return self.driver.execute_script(_STREAM_TEXT, self.host, name)

    def streams(self) -> list[tuple[str, str]]:
        return self.driver.execute_script(
            "return Array.from(arguments[0].shadowRoot.querySelectorAll('[data-role=output] [data-stream]'),"
            " c => [c.dataset.stream, c.textContent]);",
            self.host,
        )

    def tables(self) -> list[dict]:
        """The `table` chunks as shown: {columns, rows (cell texts), caption (None when complete)}."""
        return self.driver.execute_script(_TABLES, self.host)

    @property
    def notice(self) -> str:
        return self.driver.execute_script(
            "return arguments[0].shadowRoot.querySelector('[data-role=notice]').textContent;", self.host
        )

    @property
    def status_text(self) -> str:
        return self.find('[data-role="status"]').text

    def chunk_count(self) -> int:
        return self.driver.execute_script(
            "return arguments[0].shadowRoot.querySelectorAll('[data-role=output] [data-stream]').length;", self.host
        )

    # -- actions (real WebDriver input: trusted events) ----------------------------------------
    def click(self, action: str) -> None:
        """Click an action's button for real; one in the overflow menu is reached through ⋯."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", self.host)
        button = self.button(action)
        if not button.is_displayed() and action in MENU_ACTIONS:
            self.open_menu()
            button = self.button(action)
        button.click()

    def run(self, timeout: float = 30) -> str:
        """Click Run and wait for a final state; returns it."""
        self.click("run")
        return self.wait_final(timeout)

    def wait_state(self, states, timeout: float = 30) -> str:
        states = {states} if isinstance(states, str) else set(states)
        WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda d: self.state in states)
        return self.state

    def wait_final(self, timeout: float = 30) -> str:
        return self.wait_state(FINAL_STATES, timeout)

    def run_then_stop(self, after: float = 0.3, timeout: float = 120) -> str:
        """Click Run, press Stop `after` seconds into the running code; returns the final state."""
        self.click("run")
        self.wait_state("running", timeout)
        time.sleep(after)
        self.click("stop")
        return self.wait_final(15)

    def editor(self) -> WebElement:
        """The editor's editable element (CodeMirror, loaded on first Edit)."""
        WebDriverWait(self.driver, 10).until(
            lambda d: self.host.shadow_root.find_elements(By.CSS_SELECTOR, '[data-role="editor"] .cm-content')
        )
        return self.find('[data-role="editor"] .cm-content')

    def editor_text(self) -> str:
        self.editor()
        return self.driver.execute_script(
            "return Array.from(arguments[0].shadowRoot.querySelectorAll('[data-role=editor] .cm-line'),"
            " l => l.textContent).join('\\n');",
            self.host,
        )

    def edit(self, code: str) -> None:
        """Open the editor and type `code` over its content, as a user would."""
        self.click("edit")
        content = self.editor()
        content.click()
        ActionChains(self.driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(
            Keys.DELETE
        ).perform()
        content.send_keys(code)


class ChatPage:
    """A page served by the test server, with the content script's panels on it."""

    def __init__(self, driver, url: str):
        self.driver = driver
        self.url = url

    def open(self) -> "ChatPage":
        self.driver.get(self.url)
        return self

    def panels(self) -> list[Panel]:
        return [Panel(self.driver, h) for h in self.driver.find_elements(By.CSS_SELECTOR, "[data-code-runner]")]

    def wait_panels(self, count: int, timeout: float = 15, settle: float = 0.8) -> list[Panel]:
        """Wait until exactly `count` panels exist and stay so for `settle` seconds."""
        deadline = time.monotonic() + timeout
        stable_since = None
        while time.monotonic() < deadline:
            n = len(self.driver.find_elements(By.CSS_SELECTOR, "[data-code-runner]"))
            if n == count:
                stable_since = stable_since or time.monotonic()
                if time.monotonic() - stable_since >= settle:
                    return self.panels()
            else:
                stable_since = None
            time.sleep(0.05)
        raise AssertionError(f"expected {count} panels, found {len(self.panels())}")

    def expected(self) -> list[dict]:
        text = self.driver.execute_script("return document.getElementById('expected').textContent;")
        return json.loads(text)


_ADD_BLOCK = """
const [language, code, title] = arguments;
const pre = document.createElement('pre');
const el = document.createElement('code');
if (language) el.className = 'language-' + language;
el.textContent = (title ? `<!-- executable: ${title} -->\\n` : '') + code;
pre.appendChild(el);
document.getElementById('chat').appendChild(pre);
"""


class BlankPage(ChatPage):
    """tests/fixtures/pages/blank.html: tests add blocks as a chat answer would."""

    def add_block(self, language: str, code: str, title: str | None = None) -> Panel:
        before = len(self.panels())
        self.driver.execute_script(_ADD_BLOCK, language, code, title)
        return self.wait_panels(before + 1, settle=0.1)[-1]

    def clear(self) -> None:
        self.driver.execute_script("document.getElementById('chat').replaceChildren();")
        WebDriverWait(self.driver, 10).until(lambda d: not self.panels())


# Runner settings live in chrome.storage.local (trusted contexts only), page settings in
# chrome.storage.sync (extension/shared/settings.js).
RUNNER_KEYS = {"timeoutMs", "userCodeNetwork", "pythonPackageIndex", "kernelIdleMinutes", "maxKernels"}


def set_settings(driver, settings: dict) -> None:
    """Replace the extension's settings through the options page's own storage (as the user would)."""
    from .browser import extension_url

    page = {k: v for k, v in settings.items() if k not in RUNNER_KEYS}
    runner = {k: v for k, v in settings.items() if k in RUNNER_KEYS}
    current = driver.current_url
    driver.get(extension_url("options/options.html"))
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all([chrome.storage.sync.set({settings: arguments[0]}),"
        " chrome.storage.local.set({runnerSettings: arguments[1]})]).then(() => done(true));",
        page, runner,
    )
    if current and current.startswith("http"):
        driver.get(current)
