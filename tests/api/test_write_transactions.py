"""On PostgreSQL a stored run is two statements, each atomic on its own (the token lookup, then
one INSERT that also adds to the day, block and site counters): its request runs them in
autocommit, saving the BEGIN and COMMIT round trips. Nothing else runs that way: a batch's
inserts and counters still commit together, and a connection goes back to the pool in
transaction mode."""
import pytest
from sqlalchemy import event

from companion_api.extensions import db

from . import services
from .factories import run


@pytest.fixture
def postgres():
    if not services.DATABASE_URL:
        pytest.skip("PostgreSQL only: on SQLite a stored run is several statements in a transaction")


@pytest.fixture
def statements(app):
    """(autocommit?, first words) of every statement the app sends, in order."""
    seen = []

    def record(_conn, cursor, statement, *_args):
        seen.append((cursor.connection.autocommit, " ".join(statement.split()[:3])))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_stored_run_is_two_statements_in_autocommit(postgres, user, statements):
    user.store()  # the device's first use may also touch last_used_at
    statements.clear()
    user.store(code="print(2)")
    assert [words.split()[0] for _, words in statements] == ["SELECT", "WITH"]
    assert all(autocommit for autocommit, _ in statements), statements
    stats = user.get("/api/v1/stats?since=2025-03-01T00:00:00Z&until=2025-03-02T00:00:00Z").json
    assert stats["runs"] == 2 and stats["per_day"] == [
        {"date": "2025-03-01", "runs": 2, "successes": 2}]  # the counters were added to


def test_a_batch_and_later_requests_run_in_transactions(postgres, user, statements):
    user.store()
    statements.clear()
    resp = user.post("/api/v1/executions/batch",
                     json={"items": [run(code=f"print({i})") for i in range(3)]})
    assert resp.status_code == 200 and resp.json["created"] == 3
    user.get("/api/v1/executions")
    assert statements and not any(autocommit for autocommit, _ in statements), statements
