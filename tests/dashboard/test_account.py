"""Devices (list, rename, revoke) and deleting the account with all its data."""


def test_devices_are_listed_with_revoked_ones(dash, owner, users):
    phone = users.login(owner.email, device_name="Phone")
    phone.delete(f"/api/v1/devices/{phone.device_id}")
    html = dash.get("/devices").get_data(as_text=True)
    assert "Chromium on laptop" in html and "Phone" in html and "revoked" in html
    assert html.count('data-testid="revoke-device"') == 1


def test_rename_a_device(dash, owner):
    resp = dash.post(f"/devices/{owner.device_id}/rename", {"name": "  Work laptop "})
    assert resp.status_code == 302
    assert owner.get(f"/api/v1/devices/{owner.device_id}").json["name"] == "Work laptop"
    assert "Renamed to “Work laptop”." in dash.get("/devices").get_data(as_text=True)


def test_rename_refuses_an_empty_or_long_name(dash, owner):
    for name in ("", "x" * 101, "nul\x00name"):
        dash.post(f"/devices/{owner.device_id}/rename", {"name": name})
        assert owner.get(f"/api/v1/devices/{owner.device_id}").json["name"] == "Chromium on laptop"


def test_revoke_a_device_after_confirmation(dash, owner, users):
    phone = users.login(owner.email, device_name="Phone")
    page = dash.get(f"/devices/{phone.device_id}/revoke").get_data(as_text=True)
    assert "Revoke “Phone”?" in page
    assert phone.get("/api/v1/account").status_code == 200  # asking revokes nothing
    assert dash.post(f"/devices/{phone.device_id}/revoke").status_code == 302
    assert phone.get("/api/v1/account").status_code == 401
    assert owner.get("/api/v1/account").status_code == 200


def test_account_page_shows_the_account(dash, owner):
    owner.store()
    html = dash.get("/account").get_data(as_text=True)
    assert owner.email in html and "<dt>Runs</dt><dd>1</dd>" in html


def test_account_delete_needs_the_typed_phrase_and_password(dash, owner):
    owner.store()
    for data in ({"password": "correct horse", "confirm": "delete"},
                 {"password": "wrong password", "confirm": "delete my account"}):
        resp = dash.post("/account", data)
        assert resp.status_code == 422
        assert owner.get("/api/v1/account").status_code == 200
    assert "Type exactly" in dash.post("/account", {"password": "correct horse",
                                                    "confirm": "nope"}).get_data(as_text=True)


def test_account_delete_erases_everything(dash, owner, users):
    owner.store()
    resp = dash.post("/account", {"password": "correct horse", "confirm": "delete my account"})
    assert resp.headers["Location"] == "/login"
    assert owner.get("/api/v1/account").status_code == 401
    assert dash.get("/").status_code == 302
    # The email is free again: nothing of the account is left.
    assert users.register(email=owner.email).status_code == 201


def test_account_delete_password_checks_share_the_accounts_limit(make_app, users):
    from .conftest import Dashboard

    app = make_app(CHATRUN_PASSWORD_LIMIT="2/minute")
    browser = Dashboard(app)
    owner = users.new()
    email = owner.body["account"]["email"]
    browser.login(email)
    wrong = {"password": "wrong password", "confirm": "delete my account"}
    assert [browser.post("/account", wrong).status_code for _ in range(2)] == [422, 422]
    resp = browser.post("/account", {**wrong, "password": "correct horse"})
    assert resp.status_code == 429 and resp.mimetype == "text/html"
    assert owner.get("/api/v1/account").status_code == 200  # still there
    api = app.test_client().post("/api/v1/auth/login", json={
        "email": email, "password": "wrong password", "device_name": "d"},
        environ_base={"REMOTE_ADDR": "10.7.7.7"})
    assert api.status_code == 429
    assert browser.get("/account").status_code == 200  # reading the page is not a check
