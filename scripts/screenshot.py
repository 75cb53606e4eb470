"""Makes docs/screenshot.png: a Run panel with output and a figure under a chat answer (Claude fixture)."""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.pages import ChatPage  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402


def main(out: Path = REPO / "docs" / "screenshot.png") -> None:
    with PageServer(REPO / "tests" / "fixtures") as server:
        driver, profile = start_browser(["--window-size=900,900"])
        try:
            page = ChatPage(driver, server.url("chat-pages/claude.html")).open()
            squares = page.wait_panels(4)[2]  # the "Squares Table" Python block
            squares.edit("import matplotlib.pyplot as plt\nsquares = [i * i for i in range(1, 6)]\n"
                         "print(squares)\nplt.plot(range(1, 6), squares, marker='o')\n"
                         "plt.title('Squares')\nplt.show()")
            squares.click("edit")
            squares.run(120)
            driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", squares.host)
            driver.save_screenshot(str(out))
            print(f"wrote {out}")
        finally:
            stop_browser(driver, profile)


if __name__ == "__main__":
    main()
