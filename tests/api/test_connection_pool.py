"""Pooled database connections the server dropped: a connection idle past
CHATRUN_DB_PING_IDLE_SECONDS is pinged before use and replaced when dead; one used a moment ago
is not pinged (a round trip saved per request under load), so the server dropping it fails one
request and the pool is refreshed for the next."""
import time

import pytest
import sqlalchemy as sa

from companion_api.extensions import db

from . import services
from .conftest import Users


def _drop_the_pooled_connection(app):
    """Terminate, from outside, the backend behind the app's (single idle) pooled connection."""
    with app.app_context():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        db.session.commit()  # back to the pool, idle
    engine = sa.create_engine(services.DATABASE_URL)
    with engine.begin() as conn:
        assert conn.scalar(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    engine.dispose()


@pytest.fixture
def postgres():
    if not services.DATABASE_URL:
        if services.REQUIRE:
            pytest.fail("CHATRUN_REQUIRE_SERVICES=1 but DATABASE_URL is not set", pytrace=False)
        pytest.skip("needs PostgreSQL: a SQLite file has no server to drop connections")


def test_a_connection_dropped_while_idle_is_replaced_before_use(postgres, make_app):
    app = make_app(CHATRUN_DB_PING_IDLE_SECONDS=0.2, PROPAGATE_EXCEPTIONS=False)
    user = Users(app.test_client()).new()
    _drop_the_pooled_connection(app)
    time.sleep(0.3)
    assert user.get("/api/v1/account").status_code == 200


def test_a_connection_used_a_moment_ago_is_not_pinged(postgres, make_app):
    app = make_app(CHATRUN_DB_PING_IDLE_SECONDS=3600, PROPAGATE_EXCEPTIONS=False)
    user = Users(app.test_client()).new()
    _drop_the_pooled_connection(app)
    failed = user.get("/api/v1/account")
    assert failed.status_code == 500 and failed.json["error"]["code"] == "internal_error"
    # The failure invalidated the pool: the next request connects afresh.
    assert user.get("/api/v1/account").status_code == 200
