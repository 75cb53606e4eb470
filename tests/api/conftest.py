"""Fixtures: a fresh app per test on the pass's database, a client, and a user helper."""
import os
import shutil
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from companion_api import create_app
from companion_api.extensions import db

from . import services
from .factories import run

# create_app reads the environment; a fixed key keeps tests from writing instance/secret_key.
os.environ.setdefault("SECRET_KEY", "test-secret")

HIGH_LIMITS = {
    "CHATRUN_RUNS_PER_MINUTE": 100000,
    "CHATRUN_RUNS_PER_DAY": 100000,
    "CHATRUN_AUTH_LIMIT": "100000/minute",
    "CHATRUN_DEFAULT_LIMIT": "100000/minute",
}
TABLES = ("share_links", "executions", "devices", "dashboard_sessions", "accounts")


def base_config(database_url):
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": services.REDIS_URL or "memory://",
        "RATELIMIT_KEY_PREFIX": services.RATELIMIT_PREFIX,
        "CHATRUN_PASSWORD_PROFILE": "cheap",
        **HIGH_LIMITS,
    }


def migrate(database_url):
    """Upgrade a database to head through Flask-Migrate, as scripts/run does."""
    app = create_app(base_config(database_url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """The pass's database at head: PostgreSQL rebuilt from an empty schema, or a SQLite
    template file that each test copies."""
    if services.DATABASE_URL:
        services.check_database(services.DATABASE_URL)
        engine = sa.create_engine(services.DATABASE_URL)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        migrate(services.DATABASE_URL)
        return services.DATABASE_URL
    template = tmp_path_factory.mktemp("db") / "template.db"
    migrate(f"sqlite:///{template}")
    return template


@pytest.fixture(scope="session")
def redis_client():
    if not services.REDIS_URL:
        yield None
        return
    client = services.redis_client()
    yield client
    services.clear_redis_prefix(client)


@pytest.fixture
def database_url(migrated_database, tmp_path, redis_client):
    """A clean database for one test (truncated, or a fresh copy of the template)."""
    if redis_client is not None:
        services.clear_redis_prefix(redis_client)
    if services.DATABASE_URL:
        engine = sa.create_engine(services.DATABASE_URL)
        with engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return services.DATABASE_URL
    path = tmp_path / "test.db"
    shutil.copy(migrated_database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def empty_database(tmp_path):
    """An empty database of this pass's kind: a new SQLite file, or a scratch PG schema."""
    if not services.DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}", None
        return
    services.check_database(services.DATABASE_URL)
    schema = f"migration_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(services.DATABASE_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in services.DATABASE_URL else "?"
    try:
        yield f"{services.DATABASE_URL}{sep}options=-csearch_path%3D{schema}", schema
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def make_app(database_url):
    """Build the app with config overrides (e.g. small limits) on this test's database."""
    apps = []

    def build(**overrides):
        app = create_app({**base_config(database_url), **overrides})
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


class User:
    def __init__(self, client, body):
        self.client, self.body = client, body
        self.token = body["token"]
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.device_id = body["device"]["id"]

    def request(self, method, url, **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url, **kw):
        return self.request("GET", url, **kw)

    def post(self, url, **kw):
        return self.request("POST", url, **kw)

    def patch(self, url, **kw):
        return self.request("PATCH", url, **kw)

    def delete(self, url, **kw):
        return self.request("DELETE", url, **kw)

    def store(self, **overrides):
        """POST one run and return its body (asserting it was created)."""
        resp = self.post("/api/v1/executions", json=run(**overrides))
        assert resp.status_code == 201, resp.json
        return resp.json


class Users:
    """flaskr's AuthActions, for bearer tokens: users.new() registers and returns a User."""

    def __init__(self, client):
        self.client = client

    def register(self, email=None, password="correct horse", device_name="Chromium on laptop"):
        email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
        return self.client.post("/api/v1/auth/register", json={
            "email": email, "password": password, "device_name": device_name})

    def new(self, **kwargs):
        resp = self.register(**kwargs)
        assert resp.status_code == 201, resp.json
        return User(self.client, resp.json)

    def login(self, email, password="correct horse", device_name="Second device"):
        resp = self.client.post("/api/v1/auth/login", json={
            "email": email, "password": password, "device_name": device_name})
        assert resp.status_code == 201, resp.json
        return User(self.client, resp.json)


@pytest.fixture
def users(client):
    return Users(client)


@pytest.fixture
def user(users):
    return users.new()


@pytest.fixture
def live_server(database_url):
    """Start gunicorn processes on this test's database (and the pass's Redis, if any)."""
    from .live import LiveServer

    servers = []

    def start(workers=2, healthz=200, **env):
        env.setdefault("database_url", database_url)
        server = LiveServer(redis_url=services.REDIS_URL, workers=workers,
                            CHATRUN_RATELIMIT_PREFIX=services.RATELIMIT_PREFIX, **env)
        servers.append(server)
        return server.start(healthz=healthz)

    yield start
    for server in servers:
        server.stop()
