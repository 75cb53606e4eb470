"""History sync: every run reaches the companion API (a real gunicorn), exactly once, through
outages, service-worker stops, rate limits and revoked devices; two profiles share history."""
from __future__ import annotations

import time
import uuid

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from .browser import start_browser, stop_browser
from .companion import ApiClient, OptionsPage, start_api
from .pages import BlankPage, ChatPage
from .test_runner_lifecycle import stop_service_worker

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    server = start_api(tmp_path_factory.mktemp("api"))
    yield server
    server.stop()


def new_email():
    return f"user-{uuid.uuid4().hex[:10]}@example.test"


def sign_up(browser, api_url, device=None):
    email = new_email()
    OptionsPage(browser).open().sign_in(api_url, email, PASSWORD, device=device, register=True)
    return email


def wait_for(predicate, timeout=30, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def test_a_run_on_a_chat_page_reaches_the_api_with_its_output(browser, pages, api):
    email = sign_up(browser, api.url, device="Laptop Chromium")
    page = ChatPage(browser, pages.url("chat-pages/chatgpt.html")).open()
    panel = page.wait_panels(4)[1]
    assert panel.run() == "success"
    client = ApiClient(api.url, email, PASSWORD)
    (run,) = wait_for(lambda: client.executions())
    assert run["language"] == "javascript" and run["status"] == "success"
    output = client.execution(run["execution_id"])["output"]
    assert [(o["type"], o["content"]) for o in output] == [("log", "sum=31\n")]
    assert run["page"]["site"] == "127.0.0.1" and run["page"]["url"].endswith("chatgpt.html")
    assert run["device"]["name"] == "Laptop Chromium"
    assert run["message_uuid"] == "b3a9c2d1-8e7f-4c6b-a5d4-1e2f3a4b5c6d"


def test_outage_and_worker_stop_lose_nothing_and_store_nothing_twice(browser, pages, api):
    email = sign_up(browser, api.url)
    api.stop()
    try:
        page = BlankPage(browser, pages.url("pages/blank.html")).open()
        panel = page.add_block("javascript", "console.log('offline run')")
        for _ in range(50):
            assert panel.run() == "success"
        options = OptionsPage(browser).open()
        assert wait_for(lambda: options.status()["queued"] == 50)
        assert "Sync failed" in options.status()["lastError"]
        stop_service_worker(browser)  # the queue is in IndexedDB, not in the worker's memory
    finally:
        api.start()
    options = OptionsPage(browser).open()
    options.sync_now()
    client = ApiClient(api.url, email, PASSWORD)
    runs = wait_for(lambda: (lambda r: r if len(r) >= 50 else None)(client.executions()), timeout=60)
    time.sleep(1.0)
    runs = client.executions()
    assert len(runs) == 50 and len({r["execution_id"] for r in runs}) == 50
    assert wait_for(lambda: options.status()["queued"] == 0)


def test_revoked_device_stops_syncing_and_says_so(browser, pages, api):
    email = sign_up(browser, api.url)
    options = OptionsPage(browser).open()
    device_id = options.status()["device"]["id"]
    client = ApiClient(api.url, email, PASSWORD)
    assert client.delete(f"/api/v1/devices/{device_id}") == 204
    page = BlankPage(browser, pages.url("pages/blank.html")).open()
    panel = page.add_block("javascript", "console.log('after revoke')")
    assert panel.run() == "success"
    WebDriverWait(browser, 15).until(lambda d: "revoked" in panel.notice)
    options = OptionsPage(browser).open()
    status = options.status()
    assert status["revoked"] and status["queued"] == 1
    assert "revoked" in options.text("account-error")
    assert client.executions() == []


def test_rate_limit_is_honoured_and_shown(browser, pages, tmp_path_factory):
    # One worker: without Redis each gunicorn worker counts on its own (see docs/api.md).
    limited = start_api(tmp_path_factory.mktemp("limited"), workers=1, CHATRUN_RUNS_PER_MINUTE=2)
    limit = 2
    runs = 2 * limit + 1  # counted in the minute each ran: these span two minutes at the most
    try:
        email = sign_up(browser, limited.url)
        page = BlankPage(browser, pages.url("pages/blank.html")).open()
        panel = page.add_block("javascript", "console.log('limited')")
        for _ in range(runs):
            assert panel.run() == "success"  # running code locally never waits for the server
        WebDriverWait(browser, 15).until(lambda d: "run limit" in panel.notice)
        options = OptionsPage(browser).open()
        status = options.status()
        assert status["rateLimitedUntil"] and status["queued"] >= 1
        stored = len(ApiClient(limited.url, email, PASSWORD).executions())
        assert stored <= 2 * limit and stored + status["queued"] == runs  # waiting, not lost
    finally:
        limited.stop()


def test_two_profiles_on_one_account_see_each_others_runs(browser, pages, api):
    email = new_email()
    OptionsPage(browser).open().sign_in(api.url, email, PASSWORD, device="Profile one", register=True)
    page = ChatPage(browser, pages.url("chat-pages/claude.html")).open()
    assert page.wait_panels(4)[1].run() == "success"
    client = ApiClient(api.url, email, PASSWORD)
    wait_for(lambda: client.executions())

    second, profile = start_browser()
    try:
        OptionsPage(second).open().sign_in(api.url, email, PASSWORD, device="Profile two")
        other = ChatPage(second, pages.url("chat-pages/claude.html")).open()
        panel = other.wait_panels(4)[1]
        panel.click("history")
        WebDriverWait(second, 15).until(lambda d: "Profile one" in panel.find('[data-role="history"]').text)
        assert "sum=31" in panel.find('[data-role="history"]').text
        # And not on another site's page: history never crosses sites.
        assert panel.run() == "success"
        wait_for(lambda: len(client.executions()) == 2)
        devices = {r["device"]["name"] for r in client.executions()}
        assert devices == {"Profile one", "Profile two"}
    finally:
        stop_browser(second, profile)


def test_python_run_with_a_figure_shows_in_the_dashboard(browser, pages, api):
    from dashboard.pages import LoginPage, RunPage  # the dashboard suite's page objects

    email = sign_up(browser, api.url)
    page = BlankPage(browser, pages.url("pages/blank.html")).open()
    panel = page.add_block(
        "python", "import matplotlib.pyplot as plt\nprint('plotting')\nplt.plot([1, 4, 9])\nplt.show()", title="Squares"
    )
    assert panel.run(timeout=120) == "success", panel.stream("error")
    client = ApiClient(api.url, email, PASSWORD)
    (run,) = wait_for(lambda: client.executions(language="python"))
    assert [o["type"] for o in client.execution(run["execution_id"])["output"]] == ["stdout", "figure"]

    LoginPage(browser, api.url).open().sign_in(email, PASSWORD)
    detail = RunPage(browser, api.url, execution_id=run["execution_id"]).open()
    assert "plotting" in detail.output and "plt.plot([1, 4, 9])" in detail.code
    assert [int(w) > 100 for w in detail.figures] == [True]
    assert "Squares" in detail.text


def test_popup_shows_the_account_and_sync_state(browser, api):
    from selenium.webdriver.common.by import By

    from .browser import extension_url

    email = sign_up(browser, api.url)
    browser.get(extension_url("popup/popup.html"))
    WebDriverWait(browser, 10).until(lambda d: email in d.find_element(By.CSS_SELECTOR, "[data-role='sync']").text)
    assert "Sync on." in browser.find_element(By.CSS_SELECTOR, "[data-role='sync']").text


def test_popup_and_options_link_to_the_dashboard_and_the_runs_pages(browser, pages, api):
    """Options and popup link to the dashboard; the popup's runs to their run pages once synced.
    Every link names this device, which the dashboard then marks as "this device"."""
    from selenium.webdriver.common.by import By

    from dashboard.pages import DevicesPage, LoginPage, RunPage

    from .browser import extension_url

    email = sign_up(browser, api.url, device="Linked profile")
    device_id = OptionsPage(browser).open().status()["device"]["id"]
    dashboard = f"{api.url}/?this_device={device_id}"
    assert browser.find_element(By.CSS_SELECTOR, "[data-role='dashboard']").get_attribute("href") == dashboard

    page = ChatPage(browser, pages.url("chat-pages/chatgpt.html")).open()
    assert page.wait_panels(4)[1].run() == "success"
    (run,) = wait_for(lambda: ApiClient(api.url, email, PASSWORD).executions())
    chat_tab = browser.current_window_handle
    # The popup in a tab of its own, looking at the chat page's tab as the toolbar popup does.
    browser.switch_to.new_window("tab")
    browser.get(extension_url("popup/popup.html"))
    wait_for(lambda: OptionsPage(browser).status()["queued"] == 0)  # synced: the dashboard has it
    assert browser.execute_async_script("""
        const done = arguments[0];
        (async () => {
          const self = await chrome.tabs.getCurrent();
          const [chat] = (await chrome.tabs.query({windowId: self.windowId})).filter((t) => t.id !== self.id);
          await chrome.tabs.update(chat.id, {active: true});
        })().then(() => done('ok'), (e) => done(String(e)));
    """) == "ok"
    browser.refresh()
    links = WebDriverWait(browser, 15).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-role='runs'] a[data-role='run-link']"))
    # This page's runs made by earlier tests in this browser are listed too: ours is among them.
    run_link = f"{api.url}/runs/{run['execution_id']}?this_device={device_id}"
    hrefs = [a.get_attribute("href") for a in links]
    assert run_link in hrefs and all(h.startswith(f"{api.url}/runs/") for h in hrefs), hrefs
    assert browser.find_element(By.CSS_SELECTOR, "[data-role='dashboard']").get_attribute("href") == dashboard
    browser.close()
    browser.switch_to.window(chat_tab)

    # Followed (signed in to the dashboard): the run's page, and this device marked. An earlier
    # test's dashboard session in this browser is dropped first, so the link asks for this account.
    browser.get(f"{api.url}/login")
    browser.delete_all_cookies()
    browser.get(run_link)
    LoginPage(browser, api.url).loaded().sign_in(email, PASSWORD)
    assert browser.current_url == f"{api.url}/runs/{run['execution_id']}"
    assert "sum=31" in RunPage(browser, api.url, execution_id=run["execution_id"]).loaded().output
    assert DevicesPage(browser, api.url).open().this_device == [device_id]
    DevicesPage(browser, api.url).open().sign_out()
