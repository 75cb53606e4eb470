"""Migrations take an empty database to head with the real CLI, and match the models."""
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")
TABLES = {"accounts", "devices", "executions", "share_links", "dashboard_sessions",
          "run_rollups", "alembic_version"}
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
