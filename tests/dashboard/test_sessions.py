"""Dashboard sessions live on the server: signing out (here or everywhere), a password change
and account deletion end them, even for a copy of the cookie."""
from datetime import timedelta

import pytest

from .conftest import PASSWORD, Dashboard

COOKIE = "chatrun_session"


def stolen_copy(app, browser):
    """Another client holding the very same cookie value (a stolen or copied cookie)."""
    thief = Dashboard(app)
    thief.client.set_cookie(COOKIE, browser.client.get_cookie(COOKIE).value)
    assert thief.get("/").status_code == 200
    return thief


@pytest.fixture
def two_browsers(app, owner, dash):
    laptop, phone = dash, Dashboard(app)
    phone.login(owner.email)
    return laptop, phone


def test_sign_out_ends_the_session_not_only_the_cookie(app, dash, owner):
    thief = stolen_copy(app, dash)
    assert dash.logout().headers["Location"] == "/login"
    assert thief.get("/").status_code == 302
    assert owner.get("/api/v1/account").status_code == 200  # device tokens are not sessions


def test_sign_out_everywhere(app, two_browsers, owner):
    laptop, phone = two_browsers
    thief = stolen_copy(app, phone)
    resp = laptop.post("/sessions/end-all")
    assert resp.headers["Location"] == "/login"
    for browser in (laptop, phone, thief):
        assert browser.get("/").status_code == 302
    assert owner.get("/api/v1/account").status_code == 200


def test_one_browser_signs_another_out_from_the_devices_page(two_browsers):
    laptop, phone = two_browsers
    html = laptop.get("/devices").get_data(as_text=True)
    assert html.count('data-testid="session-row"') == 2 and "(this one)" in html
    other = [line for line in html.split('data-testid="session-row"')[1:]
             if "(this one)" not in line][0]
    session_id = other.split('data-session-id="')[1].split('"')[0]
    assert laptop.post(f"/sessions/{session_id}/end").headers["Location"] == "/devices"
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200
    assert laptop.post(f"/sessions/{session_id}/end").status_code == 404


def test_a_password_change_ends_every_other_session(two_browsers, owner, make_dash):
    laptop, phone = two_browsers
    bad = laptop.post("/account/password", {"current": "wrong password", "new": "new password 1",
                                            "repeat": "new password 1"})
    assert bad.status_code == 422 and "Wrong password." in bad.get_data(as_text=True)
    mismatch = laptop.post("/account/password", {"current": PASSWORD, "new": "new password 1",
                                                 "repeat": "new password 2"})
    assert mismatch.status_code == 422 and phone.get("/").status_code == 200
    resp = laptop.post("/account/password", {"current": PASSWORD, "new": "new password 1",
                                             "repeat": "new password 1"})
    assert resp.headers["Location"] == "/account"
    assert "1 other browser session signed out" in laptop.get("/account").get_data(as_text=True)
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 200
    fresh = make_dash()
    assert fresh.post("/login", {"email": owner.email, "password": PASSWORD}).status_code == 401
    fresh.login(owner.email, "new password 1")
    assert owner.get("/api/v1/account").status_code == 200  # devices keep syncing


def test_account_deletion_ends_every_session(app, two_browsers):
    laptop, phone = two_browsers
    thief = stolen_copy(app, phone)
    laptop.post("/account", {"password": PASSWORD, "confirm": "delete my account"})
    for browser in (laptop, phone, thief):
        assert browser.get("/").status_code == 302


def test_sessions_expire_on_the_server_too(make_app, users):
    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=0))
    browser, user = Dashboard(app), users.new()
    browser.login(user.body["account"]["email"])
    assert browser.get("/").status_code == 302
