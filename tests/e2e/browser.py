"""Headless Debian Chromium with the unpacked extension loaded, driven by Selenium."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "extension"
EXTENSION_ID = "fanaeolckhdhamfandbdgolgefddmaea"  # fixed by the manifest's "key"
CHROMIUM = os.environ.get("CHATRUN_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHATRUN_CHROMEDRIVER", "/usr/bin/chromedriver")

QUIET_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,900",
]


def start_browser(extra_flags: list[str] | None = None, extension: Path = EXTENSION_DIR) -> tuple[webdriver.Chrome, str]:
    """A fresh profile with the extension (another built copy of it: `extension`); returns
    (driver, profile_dir)."""
    manifest = json.loads((extension / "manifest.json").read_text())
    assert manifest.get("key"), "the manifest must carry a fixed key"
    assert (extension / "build" / "content.js").exists(), "run scripts/setup first"
    profile = tempfile.mkdtemp(prefix="chatrun-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in QUIET_FLAGS + (extra_flags or []):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--load-extension={extension}")
    options.add_argument(f"--disable-extensions-except={extension}")
    options.enable_bidi = False
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_script_timeout(30)
    return driver, profile


def stop_browser(driver: webdriver.Chrome, profile: str) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def extension_url(path: str) -> str:
    return f"chrome-extension://{EXTENSION_ID}/{path.lstrip('/')}"


def preview_tabs(driver) -> list[dict]:
    """The preview tabs open now. CDP: ChromeDriver does not list a tab the extension opened on
    its own (a panel's "Open in a tab")."""
    return [t for t in driver.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]
            if t["type"] == "page" and "/preview/tab.html#" in t["url"]]
