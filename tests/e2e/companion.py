"""A real companion API (gunicorn on loopback, migrated temp SQLite) for the sync tests, and page
objects for the extension's options page and popup."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from .browser import extension_url

REPO = Path(__file__).resolve().parents[2]


def migrate(database_url: str) -> None:
    """`flask db upgrade`, exactly as scripts/run does."""
    env = {**os.environ, "DATABASE_URL": database_url}
    flask = Path(sys.executable).with_name("flask")
    subprocess.run([str(flask), "--app", "companion_api", "db", "upgrade"], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_api(tmp_dir: Path, workers: int = 2, failing_on: str | None = None, **env):
    """Migrate a fresh SQLite database and serve it with gunicorn; returns the LiveServer.
    With `failing_on`, the server answers 500 to every batch upload holding that text (see
    `failing_app`) until `fix_api` restarts it as it ships."""
    from api.live import LiveServer  # the API suite's helper: one way to run gunicorn in tests

    database_url = f"sqlite:///{tmp_dir / 'companion.db'}"
    migrate(database_url)
    server = LiveServer(database_url, workers=workers, CHATRUN_PASSWORD_PROFILE="cheap", **env)
    if failing_on:
        server.env.update(CHATRUN_TEST_FAIL_ON=failing_on, PYTHONPATH=str(REPO / "tests"))
        server.command[-1] = "e2e.companion:failing_app()"
    return server.start()


def fix_api(server) -> None:
    """Restart a `failing_on` server as the real app (same port and database)."""
    server.stop()
    server.command[-1] = "companion_api.wsgi:app"
    server.start()


def failing_app():
    """gunicorn entry point for tests: the real app, with a bug that one run's text triggers
    (CHATRUN_TEST_FAIL_ON): a batch upload holding it crashes, so the app answers its own 500
    (JSON error, CORS headers) to that batch, as it would for a real bug."""
    from flask import request

    from companion_api import create_app

    app = create_app()
    marker = os.environ["CHATRUN_TEST_FAIL_ON"].encode()

    @app.before_request
    def crash_on_marker():
        if request.path == "/api/v1/executions/batch" and marker in request.get_data():
            raise RuntimeError("test: a run this server cannot take")

    return app


class ApiClient:
    """The test's own view of the API, with its own device token."""

    def __init__(self, base_url: str, email: str, password: str, device_name: str = "test runner"):
        self.base_url = base_url
        answer = requests.post(f"{base_url}/api/v1/auth/login", timeout=10,
                               json={"email": email, "password": password, "device_name": device_name})
        assert answer.status_code == 201, answer.text
        self.token = answer.json()["token"]

    def get(self, path: str, **params):
        answer = requests.get(f"{self.base_url}{path}", params=params, timeout=10,
                              headers={"Authorization": f"Bearer {self.token}"})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def delete(self, path: str) -> int:
        return requests.delete(f"{self.base_url}{path}", timeout=10,
                               headers={"Authorization": f"Bearer {self.token}"}).status_code

    def execution(self, execution_id: str) -> dict:
        """One run with its output (lists carry summaries only)."""
        return self.get(f"/api/v1/executions/{execution_id}")

    def executions(self, **filters) -> list[dict]:
        items, cursor = [], None
        while True:
            page = self.get("/api/v1/executions", limit=200, **filters, **({"cursor": cursor} if cursor else {}))
            items += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return items


class OptionsPage:
    """The extension's options page, driven like a user."""

    def __init__(self, driver):
        self.driver = driver

    def open(self) -> "OptionsPage":
        self.driver.get(extension_url("options/options.html"))
        WebDriverWait(self.driver, 10).until(lambda d: d.find_element(By.NAME, "apiUrl").get_attribute("value"))
        WebDriverWait(self.driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "[data-role='sync-status']").text)
        return self

    def _field(self, name):
        return self.driver.find_element(By.CSS_SELECTOR, f"#sign-in [name='{name}']")

    def sign_in(self, api_url: str, email: str, password: str, device: str | None = None, register=False):
        if self.driver.find_element(By.ID, "signed-in").is_displayed():
            self.driver.find_element(By.CSS_SELECTOR, "button[data-action='sign-out']").click()
            WebDriverWait(self.driver, 10).until(lambda d: d.find_element(By.ID, "signed-out").is_displayed())
        for name, value in (("apiUrl", api_url), ("email", email), ("password", password)):
            field = self._field(name)
            field.clear()
            field.send_keys(value)
        if device:
            self._field("deviceName").clear()
            self._field("deviceName").send_keys(device)
        action = "register" if register else "sign-in"
        self.driver.find_element(By.CSS_SELECTOR, f"button[data-action='{action}']").click()
        WebDriverWait(self.driver, 15).until(
            lambda d: d.find_element(By.ID, "signed-in").is_displayed()
            or d.find_element(By.CSS_SELECTOR, "[data-role='account-error']").text
        )
        error = self.driver.find_element(By.CSS_SELECTOR, "[data-role='account-error']").text
        assert self.driver.find_element(By.ID, "signed-in").is_displayed(), error
        return self

    def sync_now(self) -> None:
        self.driver.find_element(By.CSS_SELECTOR, "button[data-action='sync-now']").click()

    def status(self) -> dict:
        return self.driver.execute_async_script(
            "const done = arguments[0];"
            "chrome.runtime.sendMessage({target: 'background', type: 'sync-status'}).then(r => done(r.status));"
        )

    def text(self, role: str) -> str:
        return self.driver.find_element(By.CSS_SELECTOR, f"[data-role='{role}']").text


class QuarantineList:
    """The runs that did not sync, as the options page or the popup lists them."""

    def __init__(self, driver):
        self.driver = driver

    def items(self) -> list[dict]:
        # Read in one script: the list re-renders whenever sync status changes, so element
        # handles taken between two WebDriver calls can go stale.
        return self.driver.execute_script("""
            const section = document.querySelector("[data-role='quarantine']");
            if (!section || !section.checkVisibility()) return [];
            return [...section.querySelectorAll('li[data-execution-id]')].map(li => {
                const reason = li.querySelector("[data-role='reason']");
                return {id: li.getAttribute('data-execution-id'),
                        description: li.querySelector("[data-role='description']").innerText.trim(),
                        reason: reason.innerText.trim(),
                        code: reason.getAttribute('data-code')};
            });""")

    def count(self) -> str:
        return self.driver.find_element(By.CSS_SELECTOR, "[data-role='quarantine-count']").text

    def wait_items(self, count: int, timeout: float = 60) -> list[dict]:
        WebDriverWait(self.driver, timeout, poll_frequency=0.2).until(lambda d: len(self.items()) == count)
        return self.items()

    def button(self, execution_id: str, action: str):
        return self.driver.find_element(
            By.CSS_SELECTOR, f"li[data-execution-id='{execution_id}'] button[data-action='{action}']")

    def press(self, execution_id: str, action: str) -> None:
        """A real click (trusted) on Retry (`retry-run`) or Discard (`discard-run`)."""
        self.button(execution_id, action).click()
