"""The dashboard in headless Chromium against a real gunicorn on loopback, seeded over HTTP.

One browser and one server for the module; each test leaves the browser signed in as the owner.
The browser's time zone is Asia/Kolkata (UTC+5:30), so a time shown in UTC is seen as wrong.
"""
import json
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from api.factories import PNG_1PX, iso, run, T0
from api.live import LiveServer, register
from axe_check import assert_no_serious
from e2e.browser import CHROMEDRIVER, CHROMIUM, QUIET_FLAGS

from .conftest import PASSWORD
from .pages import DevicesPage, HistoryPage, LoginPage, Page, RunPage, StatsPage

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OWNER = "owner@example.com"
N_PYTHON, N_JS = 20, 10  # 30 runs: two pages of 25
ZONE = "Asia/Kolkata"


@pytest.fixture(scope="module")
def server(migrated_database, tmp_path_factory):
    """gunicorn on a free loopback port with a fresh copy of the migrated SQLite database."""
    if isinstance(migrated_database, Path):
        path = tmp_path_factory.mktemp("browser-db") / "chatrun.db"
        shutil.copy(migrated_database, path)
        url = f"sqlite:///{path}"
    else:
        url = migrated_database
    with LiveServer(url, workers=2, CHATRUN_AUTH_LIMIT="1000/minute") as live:
        yield live


def _batch(base_url, headers, items):
    resp = requests.post(f"{base_url}/api/v1/executions/batch", json={"items": items},
                         headers=headers, timeout=30)
    assert resp.status_code == 200 and resp.json()["created"] == len(items), resp.text


@pytest.fixture(scope="module")
def seeded(server):
    """The owner's 30 runs over two devices (through the API, as the extension sends them)."""
    laptop = register(server.url, OWNER, PASSWORD, device_name="Laptop")
    resp = requests.post(f"{server.url}/api/v1/auth/login", json={
        "email": OWNER, "password": PASSWORD, "device_name": "Phone"}, timeout=10)
    phone = {"Authorization": f"Bearer {resp.json()['token']}"}
    python = [run(code=f"print({i})", minutes=i, title=None,
                  output=[{"type": "stdout", "content": f"out {i}", "timestamp": iso(T0)}])
              for i in range(N_PYTHON)]
    python[0]["output"].append({"type": "figure", "content": PNG_1PX, "timestamp": iso(T0)})
    js = [run(code=f"console.log({i})", language="javascript", minutes=100 + i, title=None,
              page={"url": "https://js.example/c", "site": "js.example"}) for i in range(N_JS)]
    _batch(server.url, laptop, python[:10] + js)
    _batch(server.url, phone, python[10:])
    devices = requests.get(f"{server.url}/api/v1/devices", headers=laptop, timeout=10).json()
    return {"laptop": laptop, "python": [r["execution_id"] for r in python],
            "js": [r["execution_id"] for r in js],
            "devices": {d["name"]: d["id"] for d in devices["items"]}}


@pytest.fixture(scope="module")
def downloads():
    path = Path(tempfile.mkdtemp(prefix="chatrun-downloads-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(downloads):
    profile = tempfile.mkdtemp(prefix="chatrun-dashboard-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in QUIET_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ZONE})
    yield driver
    try:
        driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def history(browser, server, seeded):
    """The history page, signed in as the owner (signing in through the form when needed)."""
    page = HistoryPage(browser, server.url).open()
    if not page.signed_in:
        page = LoginPage(browser, server.url).open().sign_in(OWNER, PASSWORD)
    return page


def api_get(server, seeded, path):
    return requests.get(f"{server.url}{path}", headers=seeded["laptop"], timeout=10)


def test_sign_in_and_out(browser, server, seeded):
    page = HistoryPage(browser, server.url).open()
    assert "Sign in" in page.heading  # redirected to the login form
    page = LoginPage(browser, server.url).open().sign_in(OWNER, "wrong password")
    assert "Wrong email or password." in page.text
    page = LoginPage(browser, server.url).open().sign_in(OWNER, PASSWORD)
    assert page.heading == "History" and page.summary == "30 runs."
    cookie = browser.get_cookie("chatrun_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page = page.sign_out()
    assert "Signed out." in page.flash
    assert "Sign in" in HistoryPage(browser, server.url).open().heading


def test_pagination(history, seeded):
    assert history.page_info == "Page 1 of 2"
    first = history.run_ids
    second = history.next_page().run_ids
    assert len(first) == 25 and len(second) == 5
    assert set(first + second) == set(seeded["python"] + seeded["js"])


def test_filters_and_search(history, seeded):
    page = history.filter(language="javascript")
    assert sorted(page.run_ids) == sorted(seeded["js"])
    page = page.filter(language="Any language", device="Phone")
    assert sorted(page.run_ids) == sorted(seeded["python"][10:])
    page = page.filter(device="Any device", q="out 7")
    assert page.run_ids == [seeded["python"][7]]
    assert page.summary == "1 run matches the filters."


def test_export_page_offers_a_notebook_per_language(history, seeded, downloads):
    assert history.export().languages == {
        "python": ("20", "Python 3 (ipykernel) python3"),
        "javascript": ("10", "JavaScript (Node.js) javascript")}
    page = HistoryPage(history.driver, history.base_url).open().filter(language="python").export()
    assert page.heading == "Export 20 runs"
    page.download_ipynb()
    deadline = time.monotonic() + 15
    files = []
    while time.monotonic() < deadline and not files:
        files = list(downloads.glob("chatrun-*.ipynb"))
        time.sleep(0.1)
    assert files, "the notebook was not downloaded"
    assert files[0].name.endswith("-python.ipynb")
    nb = nbformat.read(files[0], as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    cells = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source for c in cells] == [f"print({i})" for i in range(N_PYTHON)]
    assert cells[0].outputs[1]["data"]["image/png"] == PNG_1PX


def test_run_page(history, server, seeded):
    page = RunPage(history.driver, server.url, execution_id=seeded["python"][0]).open()
    assert page.code == "print(0)"
    assert "out 0" in page.output
    assert page.figures == ["1"]  # the PNG decoded: the CSP lets data: images through


def test_delete_with_confirmation(history, server, seeded):
    victim = seeded["js"][0]
    page = history.filter(language="javascript").check(victim).delete_checked()
    assert page.heading == "Delete 1 run?" and "console.log(0)" in page.listed
    assert api_get(server, seeded, f"/api/v1/executions/{victim}").status_code == 200
    page = page.confirm()
    assert "Deleted 1 run." in page.flash
    assert victim not in page.run_ids and len(page.run_ids) == N_JS - 1
    assert api_get(server, seeded, f"/api/v1/executions/{victim}").status_code == 404


def test_share_and_revoke(history, server, seeded, browser):
    run_page = RunPage(browser, server.url, execution_id=seeded["python"][3]).open()
    url = run_page.create_share()
    assert url.startswith(f"{server.url}/s/crs_")
    browser.get(url)
    shared = RunPage(browser, server.url, execution_id="").loaded()
    assert "print(3)" in shared.text and "out 3" in shared.text
    assert OWNER not in shared.text and "Phone" not in shared.text and not shared.signed_in
    run_page = RunPage(browser, server.url, execution_id=seeded["python"][3]).open()
    assert run_page.live_share_count == 1
    run_page = run_page.revoke_first_share()
    assert "Share link revoked." in run_page.flash and run_page.live_share_count == 0
    assert requests.get(url, timeout=10).status_code == 404
    browser.get(url)
    assert "revoked" in RunPage(browser, server.url, execution_id="").loaded().text


def test_device_rename(history, server, seeded, browser):
    phone = seeded["devices"]["Phone"]
    page = DevicesPage(browser, server.url).open().rename(phone, "Pixel in the kitchen")
    assert "Renamed to “Pixel in the kitchen”." in page.flash
    assert page.name_of(phone) == "Pixel in the kitchen"
    assert api_get(server, seeded, f"/api/v1/devices/{phone}").json()["name"] == \
        "Pixel in the kitchen"


def test_stats_charts_draw_under_the_csp(history, server, browser):
    page = StatsPage(browser, server.url).open({"since": "2025-02-01", "until": "2025-03-31"})
    assert page.drawn_charts == 4
    refused = [e["message"] for e in browser.get_log("browser")
               if "Content Security Policy" in e["message"] or "Refused" in e["message"]]
    assert refused == []


def test_a_second_user_never_sees_the_first_users_runs(history, server, seeded, browser):
    other = f"other-{uuid.uuid4().hex[:8]}@example.com"
    headers = register(server.url, other, PASSWORD, device_name="Other laptop")
    _batch(server.url, headers, [run(code="print('mine only')", title=None)])
    page = history.sign_out().sign_in(other, PASSWORD)
    assert page.summary == "1 run."
    assert all(i not in page.run_ids for i in seeded["python"] + seeded["js"])
    foreign = RunPage(browser, server.url, execution_id=seeded["python"][1]).open()
    assert "No such run." in foreign.text
    foreign.sign_out()


def test_history_rows_show_the_page_and_local_time(history, seeded):
    newest_python = seeded["python"][-1]  # 2025-03-01 12:19 UTC, on a page titled "Chat"
    row = history.row_label(newest_python)
    assert (row["name"], row["site"]) == ("Chat", "chat.example")
    assert row["site_rect"]["y"] >= row["name_rect"]["y"] + row["name_rect"]["height"] - 1  # beneath
    assert (row["time"], row["time_title"]) == ("2025-03-01 17:49", "2025-03-01 12:19 UTC")
    js = history.row_label(seeded["js"][-1])  # no page title stored: the site names it
    assert (js["name"], js["site"]) == ("js.example", None)


def test_delete_is_apart_from_export_and_says_how_many(history, seeded):
    total = int(history.summary.split()[0])  # 30, less any run an earlier test deleted
    assert history.button_text("delete-selection") == f"Delete all {total} runs…"
    assert history.button_text("export") == f"Export all {total} runs…"
    history.check(seeded["js"][1]).check(seeded["js"][2])
    assert history.button_text("delete-selection") == "Delete 2 checked runs…"
    assert history.button_text("export") == "Export 2 checked runs…"
    export, delete = history.rect(".export-actions"), history.rect(".delete-actions")
    assert delete["left"] - export["right"] >= 64  # on the other side of the page, not beside it
    page = history.delete_checked()
    assert page.heading == "Delete 2 runs?"


def test_this_device_is_marked_when_the_extension_links_here(history, server, seeded, browser):
    page = DevicesPage(browser, server.url).open()
    assert page.this_device == [] and "Which one is this browser?" in page.text
    laptop = seeded["devices"]["Laptop"]
    page = DevicesPage(browser, server.url).open({"this_device": laptop})
    assert browser.current_url == f"{server.url}/devices"  # the parameter is taken, not kept
    assert page.this_device == [laptop]
    assert page.this_device == DevicesPage(browser, server.url).open().this_device  # remembered
    DevicesPage(browser, server.url).open({"this_device": str(uuid.uuid4())})  # not this account's
    assert DevicesPage(browser, server.url).open().this_device == [laptop]


def test_a_new_share_link_is_shown_whole_with_a_copy_button(history, server, seeded, browser):
    browser.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    browser.set_window_size(380, 900)  # a phone: the link wraps, it is never cut
    try:
        page = RunPage(browser, server.url, execution_id=seeded["python"][4]).open().create_share_page()
        assert page.url.startswith(f"{server.url}/s/crs_") and len(page.url) > 60
        assert page.url_fits
        assert page.copy() == "Link copied to the clipboard."
        assert browser.execute_async_script(
            "navigator.clipboard.readText().then(arguments[0], (e) => arguments[0](String(e)))") == page.url
    finally:
        browser.set_window_size(1200, 900)


def test_stats_have_one_measure_per_axis_and_visible_p50_bars(history, server, browser):
    page = StatsPage(browser, server.url).open({"since": "2025-02-01", "until": "2025-03-31"})
    rate, duration = page.chart("chart-success-rate"), page.chart("chart-duration")
    assert [a["title"] for a in rate["axes"]] == ["%"]
    assert [a["title"] for a in duration["axes"]] == ["ms"]
    assert [b["label"] for b in duration["bars"]] == ["p50", "p95"]
    assert all(h >= 4 for b in rate["bars"] + duration["bars"] for h in b["heights"]), (rate, duration)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_dashboard_page_passes_axe(history, server, seeded, browser, scheme):
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme}]})
    try:
        run_id, phone = seeded["python"][0], seeded["devices"]["Phone"]
        pages = ["/", "/?language=javascript&status=error", "/export", f"/runs/{run_id}",
                 f"/runs/delete?id={run_id}", "/shares", "/devices", f"/devices/{phone}/revoke",
                 "/account", "/stats?since=2025-02-01&until=2025-03-31", f"/runs/{uuid.uuid4()}"]
        for path in pages:
            Page(browser, server.url).open_path(path)
            assert browser.execute_script(
                "return matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            _scan(browser, path)
        share = RunPage(browser, server.url, execution_id=run_id).open().create_share_page()
        _scan(browser, "the new share link")
        Page(browser, server.url).open_path(share.url[len(server.url):])
        _scan(browser, "the shared run")
        HistoryPage(browser, server.url).open().sign_out()
        _scan(browser, "/login")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def _scan(browser, what):
    try:
        assert_no_serious(browser)
    except AssertionError as error:
        raise AssertionError(f"{what}: {error}") from None
