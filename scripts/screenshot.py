"""Makes docs/screenshot.png: a Run panel with output under a chat answer (ChatGPT fixture)."""
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
        driver, profile = start_browser(["--window-size=900,760"])
        try:
            page = ChatPage(driver, server.url("chat-pages/chatgpt.html")).open()
            panels = page.wait_panels(4)
            js = panels[1]
            js.edit("const nums = [3, 1, 4, 1, 5, 9, 2, 6];\nconst total = nums.reduce((a, b) => a + b, 0);\n"
                    "console.log(`sum=${total}`);\nconsole.log({ nums, max: Math.max(...nums) });\ntotal / nums.length")
            js.run()
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", js.host)
            driver.save_screenshot(str(out))
            print(f"wrote {out}")
        finally:
            stop_browser(driver, profile)


if __name__ == "__main__":
    main()
