"""Dashboard fixtures: the API suite's app, database and user fixtures, plus `dash`, a test
client that behaves like a browser (asks for HTML, keeps the session cookie, sends CSRF tokens)."""
import re

import pytest

# Reused, not copied: a fresh migrated database per test, the app on it, API users with tokens.
from api.conftest import (  # noqa: F401
    app, client, database_url, make_app, migrated_database, redis_client, user, users)

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PASSWORD = "correct horse"  # what api.conftest.Users registers with


class Dashboard:
    """flaskr's AuthActions for the dashboard's session: dash.login(user), dash.post(url, data)."""

    def __init__(self, app):
        self.client = app.test_client()
        self.client.environ_base["HTTP_ACCEPT"] = "text/html"

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def csrf_token(self):
        page = self.client.get("/login", follow_redirects=True).get_data(as_text=True)
        return CSRF_INPUT.search(page).group(1)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self.client.post(url, data=data, **kwargs)

    def login(self, user_or_email, password=PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        resp = self.post("/login", {"email": email, "password": password})
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return resp

    def logout(self):
        return self.post("/logout")


@pytest.fixture
def dash(app):
    return Dashboard(app)


@pytest.fixture
def make_dash(app):
    """More independent browsers (e.g. a second user's)."""
    return lambda: Dashboard(app)


@pytest.fixture
def owner(users, dash):
    """An API user signed in to `dash`."""
    u = users.new()
    u.email = u.body["account"]["email"]
    dash.login(u)
    return u
