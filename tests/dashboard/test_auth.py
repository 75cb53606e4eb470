"""Sign-in, the session cookie, CSRF, and the wall between the session and the API."""
import uuid
from urllib.parse import unquote

import pytest

RUN = str(uuid.uuid4())
SHARE = str(uuid.uuid4())
DEVICE = str(uuid.uuid4())
PRIVATE_PAGES = ["/", "/stats", "/devices", "/shares", "/account", f"/runs/{RUN}",
                 "/export.json", "/export.ipynb", "/runs/delete"]


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_private_pages_redirect_to_login(dash, path):
    resp = dash.get(path)
    assert resp.status_code == 302
    assert resp.headers["Location"].startswith("/login?next=")


def test_root_still_serves_the_api_index_to_api_clients(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.json["api"] == "/api/v1"


def test_login_page_renders_with_security_headers(dash):
    resp = dash.get("/login")
    assert resp.status_code == 200
    assert 'name="csrf_token"' in resp.get_data(as_text=True)
    assert resp.headers["Content-Security-Policy"] == (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_login_then_logout(dash, users):
    u = users.new(email="reader@example.com")
    resp = dash.login("reader@example.com")
    assert resp.headers["Location"] == "/"
    assert dash.get("/").status_code == 200
    assert dash.logout().headers["Location"] == "/login"
    assert dash.get("/").status_code == 302
    assert u.get("/api/v1/account").status_code == 200  # signing out leaves device tokens alone


def test_login_returns_to_next_but_never_off_site(dash, users):
    users.new(email="next@example.com")
    resp = dash.post("/login?next=/stats", {"email": "next@example.com", "password": "correct horse"})
    assert resp.headers["Location"] == "/stats"
    dash.logout()
    resp = dash.post("/login?next=//evil.example/x",
                     {"email": "next@example.com", "password": "correct horse"})
    assert resp.headers["Location"] == "/"


@pytest.mark.parametrize("email, password", [("nobody@example.com", "correct horse"),
                                             ("known@example.com", "wrong password")])
def test_wrong_credentials_are_refused_alike(dash, users, email, password):
    users.new(email="known@example.com")
    resp = dash.post("/login", {"email": email, "password": password})
    assert resp.status_code == 401
    assert "Wrong email or password." in resp.get_data(as_text=True)
    assert dash.get("/").status_code == 302


@pytest.mark.parametrize("email", ["", "known@example.com\x00", "x" * 400])
def test_malformed_logins_are_refused_with_the_form(dash, email):
    resp = dash.post("/login", {"email": email, "password": "correct horse"})
    assert resp.status_code == 422
    assert 'class="field-error"' in resp.get_data(as_text=True)


def test_session_cookie_is_httponly_strict_and_not_secure_in_tests(dash, owner):
    cookie = dash.client.get_cookie("chatrun_session")
    assert cookie.http_only and cookie.same_site == "Strict" and not cookie.secure


@pytest.mark.parametrize("base_url, secure", [("http://127.0.0.1:8765", False),
                                              ("http://localhost:8765", False),
                                              ("https://chatrun.example", True)])
def test_session_cookie_is_secure_off_loopback(make_app, base_url, secure):
    # The login form puts its CSRF token in the session, so the first GET sets the cookie.
    resp = make_app(TESTING=False).test_client().get("/login", base_url=base_url)
    set_cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
    assert ("Secure" in set_cookie) is secure


def test_login_warns_when_plain_http_off_loopback_would_drop_the_cookie(make_app):
    client = make_app(TESTING=False).test_client()
    assert 'data-testid="needs-https"' in client.get(
        "/login", base_url="http://192.168.1.5:8765").get_data(as_text=True)
    assert 'data-testid="needs-https"' not in client.get(
        "/login", base_url="http://127.0.0.1:8765").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/login", "/logout", "/runs/delete", f"/runs/{RUN}/share",
                                  f"/shares/{SHARE}/revoke", f"/devices/{DEVICE}/rename",
                                  f"/devices/{DEVICE}/revoke", "/account"])
def test_forms_without_csrf_token_are_rejected(dash, owner, path):
    owner.store()
    resp = dash.post(path, {"email": owner.email, "password": "correct horse", "name": "x",
                            "confirm": "delete my account"}, csrf=False)
    assert resp.status_code == 400
    assert "security token" in resp.get_data(as_text=True)
    assert len(owner.get("/api/v1/executions").json["items"]) == 1
    assert owner.get("/api/v1/account").status_code == 200


def test_a_forged_csrf_token_is_rejected(dash, owner):
    owner.store()
    resp = dash.post("/runs/delete", {"csrf_token": "forged"})
    assert resp.status_code == 400
    assert len(owner.get("/api/v1/executions").json["items"]) == 1


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/executions"),
                                          ("GET", "/api/v1/account"),
                                          ("DELETE", "/api/v1/executions?confirm=delete-all")])
def test_api_never_accepts_the_dashboard_session(dash, owner, method, path):
    owner.store()
    resp = dash.client.open(path, method=method)
    assert resp.status_code == 401
    assert resp.json["error"]["code"] == "unauthorized"
    assert len(owner.get("/api/v1/executions").json["items"]) == 1


def test_api_posts_still_demand_json(dash, owner):
    resp = dash.client.post("/api/v1/executions", data={"code": "x"},
                            headers=owner.headers)
    assert resp.status_code == 400
    assert resp.json["error"]["code"] == "bad_content_type"


def test_deleted_account_ends_the_session(dash, owner):
    resp = owner.post("/api/v1/account/delete", json={"password": "correct horse",
                                                       "confirm": "delete my account"})
    assert resp.status_code == 204
    assert dash.get("/").status_code == 302


def test_login_shares_the_apis_per_ip_limit(make_app, users):
    from .conftest import Dashboard

    app = make_app(CHATRUN_AUTH_LIMIT="3/minute")
    browser = Dashboard(app)
    statuses = [browser.post("/login", {"email": "x@example.com", "password": "nope nope"},
                             environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code
                for _ in range(3)]
    assert statuses == [401, 401, 401]  # the csrf-token page loads are GETs: not counted
    resp = browser.post("/login", {"email": "x@example.com", "password": "nope nope"},
                        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert resp.status_code == 429 and resp.mimetype == "text/html"
    assert int(resp.headers["Retry-After"]) > 0
    api = app.test_client().post("/api/v1/auth/login", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                                 json={"email": "x@example.com", "password": "nope nope",
                                       "device_name": "d"})
    assert api.status_code == 429


OFF_SITE = ["/%09/evil.example", "/%0a/evil.example", "/%0d%0a/evil.example", "/%5Cevil.example",
            "/%09%5Cevil.example", "%20//evil.example", "//evil.example", "https://evil.example",
            "/%00/evil.example", "javascript:alert(1)", "/%7F/evil.example"]


def assert_internal(location):
    """What a browser would follow stays on this site (it drops tabs/newlines, reads \\ as /)."""
    seen = "".join(c for c in location if c > " " and c != "\x7f").replace("\\", "/")
    assert seen.startswith("/") and not seen.startswith("//"), location


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(dash, users, target):
    users.new(email="next@example.com")
    resp = dash.post(f"/login?next={target}",
                     {"email": "next@example.com", "password": "correct horse"})
    assert resp.status_code == 302
    assert_internal(resp.headers["Location"])
    assert dash.get(f"/login?next={target}").headers["Location"] == resp.headers["Location"]


@pytest.mark.parametrize("target", [unquote(t) for t in OFF_SITE])
def test_share_revoke_never_redirects_off_site(dash, owner, target):
    run = owner.store()
    share = owner.post(f"/api/v1/executions/{run['execution_id']}/shares").json
    resp = dash.post(f"/shares/{share['id']}/revoke", {"next": target})
    assert resp.status_code == 302
    assert_internal(resp.headers["Location"])
