"""Register, login, bearer tokens (stored hashed), never cookies."""
import hashlib

import pytest
from sqlalchemy import select

from companion_api.extensions import db
from companion_api.models import Account, Device


def test_register_returns_account_device_and_token(users, app):
    resp = users.register(email="Ada@Example.com")
    assert resp.status_code == 201
    body = resp.json
    assert body["account"]["email"] == "ada@example.com"
    assert body["device"]["name"] == "Chromium on laptop" and body["device"]["current"]
    assert body["token"].startswith("crd_")
    with app.app_context():
        device = db.session.scalar(select(Device))
        account = db.session.scalar(select(Account))
    # Only hashes are stored: the token and the password appear nowhere in the rows.
    assert device.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert account.password_hash.startswith("$argon2")


def test_duplicate_email_is_409(users):
    users.new(email="bob@example.com")
    resp = users.register(email="BOB@example.com")
    assert resp.status_code == 409
    assert resp.json["error"]["code"] == "email_taken"


def test_login_gives_a_second_device(users):
    first = users.new(email="c@example.com")
    second = users.login("c@example.com", device_name="Firefox on desktop")
    assert second.token != first.token
    names = [d["name"] for d in second.get("/api/v1/devices").json["items"]]
    assert names == ["Chromium on laptop", "Firefox on desktop"]


@pytest.mark.parametrize("email,password", [("d@example.com", "wrong password"),
                                            ("nobody@example.com", "correct horse")])
def test_bad_credentials_are_401(users, client, email, password):
    users.new(email="d@example.com")
    resp = client.post("/api/v1/auth/login", json={
        "email": email, "password": password, "device_name": "x"})
    assert resp.status_code == 401
    assert resp.json["error"]["code"] == "invalid_credentials"


@pytest.mark.parametrize("body,field", [
    ({"email": "not-an-email", "password": "correct horse", "device_name": "x"}, "email"),
    ({"email": "e@example.com", "password": "short", "device_name": "x"}, "password"),
    ({"email": "e@example.com", "password": "correct horse", "device_name": ""}, "device_name"),
    ({"email": "e@example.com", "password": "correct horse"}, "device_name"),
    ({"email": "e@example.com", "password": "correct horse", "device_name": "x", "admin": True},
     "admin"),
])
def test_register_validation(client, body, field):
    resp = client.post("/api/v1/auth/register", json=body)
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc", "bearer  "])
def test_private_routes_need_a_valid_bearer_token(client, header):
    headers = {"Authorization": header} if header else {}
    resp = client.get("/api/v1/executions", headers=headers)
    assert resp.status_code == 401
    assert resp.json["error"]["code"] == "unauthorized"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_cookies_never_authenticate(client, user):
    # Even a cookie holding a valid token is ignored: only the Authorization header counts.
    client.set_cookie("session", user.token)
    client.set_cookie("Authorization", f"Bearer {user.token}")
    assert client.get("/api/v1/executions").status_code == 401
    assert user.get("/api/v1/executions").status_code == 200


def test_token_scheme_is_case_insensitive(client, user):
    resp = client.get("/api/v1/account", headers={"Authorization": f"bearer {user.token}"})
    assert resp.status_code == 200
