"""Migrations take an empty database to head with the real CLI, and match the models."""
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")
TABLES = {"accounts", "devices", "executions", "share_links", "dashboard_sessions",
          "run_rollups", "run_site_rollups", "run_block_rollups", "alembic_version"}
# SQLite's text search: the FTS5 table and the shadow tables it keeps its index in.
SQLITE_FTS = {"executions_fts", "executions_fts_data", "executions_fts_idx",
              "executions_fts_docsize", "executions_fts_config"}


def flask_db(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "migration-test"}
    return subprocess.run([str(FLASK), "--app", "companion_api", "db", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def table_names(url, schema):
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names(schema=schema))
    finally:
        engine.dispose()


def test_upgrade_empty_database_to_head_and_back(empty_database):
    url, schema = empty_database
    assert table_names(url, schema) == set()
    up = flask_db(url, "upgrade")
    assert up.returncode == 0, up.stderr
    assert table_names(url, schema) == TABLES | (set() if schema else SQLITE_FTS)
    current = flask_db(url, "current")
    assert "(head)" in current.stdout, current.stdout + current.stderr
    # The models and the migrations describe the same schema.
    check = flask_db(url, "check")
    assert check.returncode == 0 and "No new upgrade operations" in check.stdout + check.stderr
    down = flask_db(url, "downgrade", "base")
    assert down.returncode == 0, down.stderr
    assert table_names(url, schema) == {"alembic_version"}


def test_upgrade_of_a_populated_database_backfills_counters_and_search(empty_database):
    """A database with runs from before 0003 gets its daily counters and its text index from
    the migration itself."""
    from types import SimpleNamespace

    from companion_api import create_app
    from companion_api.extensions import db
    from companion_api.models import Execution
    from companion_api.resources.executions.schemas import ExecutionInSchema
    from companion_api.services import accounts, rollups, search
    from companion_api.services.ingest import to_row

    from .factories import run

    url, _schema = empty_database
    assert flask_db(url, "upgrade", "0002").returncode == 0
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "CHATRUN_PASSWORD_PROFILE": "cheap"})
    with app.app_context():
        account, device, _token = accounts.register("old@example.com", "long password", "old")
        owner = SimpleNamespace(id=device.id, account_id=account.id)
        bodies = [run(code=f"print({i})", minutes=i * 97, execution_time_ms=i * 37,
                      status="error" if i % 3 else "success",
                      language=("python", "javascript")[i % 2],
                      page={"site": f"site{i % 3}.example"} if i % 8 else None)
                  for i in range(40)]
        bodies[7]["output"][0]["content"] = "an old NEEDLE in the output"
        rows = [to_row(ExecutionInSchema().load(b), owner) for b in bodies]
        db.session.execute(sa.insert(Execution.__table__), rows)
        db.session.commit()
        account_id = account.id
        db.session.close()
        db.engine.dispose()
    up = flask_db(url, "upgrade")
    assert up.returncode == 0, up.stderr
    with app.app_context():
        assert rollups.stored(account_id) == rollups.recount(account_id)
        assert sum(sum(c.values()) for c in rollups.stored(account_id).values()) == 40
        assert rollups.stored_blocks(account_id) == rollups.blocks_of(rollups.recount(account_id))
        assert rollups.stored_sites(account_id) == rollups.recount_sites(account_id)
        assert sum(n for (_day, site), (n, _s) in rollups.stored_sites(account_id).items()
                   if site is not None) == 35
        found = db.session.scalars(sa.select(Execution.code).where(search.matches("needle")))
        assert list(found) == ["print(7)"]
        if db.engine.dialect.name == "sqlite":  # the FTS5 table itself was filled
            assert db.session.scalar(sa.text(
                "SELECT count(*) FROM executions_fts WHERE executions_fts MATCH '\"needle\"'")) == 1
        db.session.close()
        db.engine.dispose()
