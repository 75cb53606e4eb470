"""Makes the README's screenshots at a chat column's width (760 px):

- docs/screenshot.png: light, a Python run with its figure and table under a Claude-style answer;
- docs/screenshot-dark.png: dark, a run that failed, its line marked in the block, the failing line
  with a caret and "Ask the chat to fix it".

Run: .venv/bin/python scripts/screenshot.py  (after scripts/setup --browser)
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import ChatPage  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

WIDTH, HEIGHT = 760, 1000

SQUARES = (
    "import matplotlib.pyplot as plt\nimport pandas as pd\n"
    "squares = pd.DataFrame({'n': range(1, 6), 'square': [i * i for i in range(1, 6)]})\n"
    "plt.figure(figsize=(6, 3.2))\nplt.plot(squares.n, squares.square, marker='o')\n"
    "plt.title('Squares')\nplt.show()\nsquares"
)

# A dark chat answer with a bug, added the way a chat renders an answer.
_DARK_ANSWER = """
document.documentElement.classList.add('dark');
const answer = document.getElementById('chat');
answer.innerHTML = '<p>Here is the average per student:</p><pre><code class="language-python"></code></pre>'
  + '<p>Run it to see each average.</p>';
answer.querySelector('code').textContent = arguments[0];
"""
AVERAGES = (
    "<!-- executable: Average Score -->\n"
    "scores = {'ada': [90, 85, 77], 'linus': []}\n"
    "for name, marks in scores.items():\n"
    "    print(name, sum(marks) / len(marks))"
)


def light(driver, server, out: Path) -> None:
    page = ChatPage(driver, server.url("chat-pages/claude.html")).open()
    squares = page.wait_panels(4)[2]  # the "Squares Table" Python block
    squares.edit(SQUARES)
    squares.click("edit")
    assert squares.run(180) == "success", squares.stream("error")
    driver.execute_script("window.scrollBy(0, arguments[0].getBoundingClientRect().top - 150)", squares.host)
    driver.save_screenshot(str(out))


def dark(driver, server, out: Path) -> None:
    page = ChatPage(driver, server.url("pages/theme.html")).open()
    page.wait_panels(1)
    driver.execute_script(_DARK_ANSWER, AVERAGES)
    (panel,) = page.wait_panels(1)
    assert panel.run(180) == "error", panel.streams()
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(out))


def main() -> None:
    with PageServer(REPO / "tests" / "fixtures") as server:
        driver, profile = start_browser([f"--window-size={WIDTH},{HEIGHT}"])
        try:
            driver.set_window_size(WIDTH, HEIGHT)
            for make, name in ((light, "screenshot.png"), (dark, "screenshot-dark.png")):
                out = REPO / "docs" / name
                make(driver, server, out)
                print(f"wrote {out}")
        finally:
            stop_browser(driver, profile)


if __name__ == "__main__":
    main()
