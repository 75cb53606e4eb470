"""Engine tuning per database kind, the schema revision check, and the dialect's 'insert unless
it exists' and 'add to a counter row' statements."""
import functools
import os
import time

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app, request
from sqlalchemy import bindparam, event, exc, text
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def _tune_sqlite(engine):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see the begin hook).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # WAL lets readers run beside the writer; busy_timeout queues writers of other
        # gunicorn workers instead of failing with "database is locked".
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        # IMMEDIATE takes the write lock up front: a deferred transaction that later tries to
        # write can fail with SQLITE_BUSY, which busy_timeout does not retry.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _ping_when_idle(engine, idle_seconds):
    """SQLAlchemy's pool_pre_ping, but only for a connection that sat in the pool for
    idle_seconds: under load a connection checked in milliseconds ago is alive, and pinging it
    cost a round trip on every request (6% of a stored run's CPU). After a database restart the
    connections idle since then are pinged, found dead and replaced, so requests still succeed;
    only a request on a connection used within idle_seconds of the restart can fail, and the
    pool is then refreshed."""
    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_conn, record):
        record.info["checked_in"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_conn, record, _proxy):
        checked_in = record.info.get("checked_in")
        if checked_in is None or time.monotonic() - checked_in < idle_seconds:
            return  # just connected, or in use a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as err:
            if not engine.dialect.is_disconnect(err, dbapi_conn, None):
                raise
            alive = False
        if not alive:
            # The pool discards this connection and checks out (or opens) another.
            raise exc.DisconnectionError("connection found dead by the idle ping")


_AUTOCOMMIT = "_chatrun_autocommit"


def autocommit(view):
    """Mark a view method whose every statement is atomic on its own on PostgreSQL (no two of
    its writes need to land together): its request runs them in autocommit, without the BEGIN
    and COMMIT round trips a transaction costs (two of four per stored run). Outermost
    decorator."""
    setattr(view, _AUTOCOMMIT, True)
    return view


def _autocommit_when_marked():
    """before_request, ahead of any hook that queries (the limiter resolves the token): the
    request's first connection in autocommit when its view method is marked. A commit inside the
    request (devices.touch, every few minutes) ends that; the statements after it run in a
    transaction as usual, which is correct, only slower."""
    view = current_app.view_functions.get(request.endpoint)
    method = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    if getattr(method, _AUTOCOMMIT, False):
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def init_app(app):
    with app.app_context():
        engine = db.engine
        _ping_when_idle(engine, app.config["CHATRUN_DB_PING_IDLE_SECONDS"])
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine)  # its insert_counted is several statements: no autocommit
        else:
            app.before_request(_autocommit_when_marked)


def ping():
    """Raise unless the database answers."""
    db.session.execute(text("SELECT 1"))
    db.session.rollback()


@functools.cache
def code_heads():
    """The Alembic head revision(s) this code's migrations end at."""
    return frozenset(ScriptDirectory(MIGRATIONS_DIR).get_heads())


def database_heads():
    """The revision(s) the database is at (empty when it was never migrated)."""
    with db.engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def schema_is_current():
    return database_heads() == code_heads()


def log_schema_state(app, log):
    """One line at start when the database is unreachable or behind this code's migrations."""
    with app.app_context():
        try:
            current = database_heads()
        except Exception as exc:  # noqa: BLE001 - any failure: say it, the app still starts
            log.error("Database unreachable at start (%s): every request needing it will "
                      "fail until it is reachable.", type(exc).__name__)
            return
        finally:
            db.engine.dispose()  # nothing of this connection may cross a worker fork
        if current != code_heads():
            log.error("Database schema is at %s but this code needs %s: run `flask --app "
                      "companion_api db upgrade` (requests fail and /healthz answers 503 until "
                      "then).", ", ".join(sorted(current)) or "nothing (never migrated)",
                      ", ".join(sorted(code_heads())))


def _dialect():
    return db.session.get_bind().dialect.name


def _insert(table):
    """The dialect's INSERT, which knows ON CONFLICT."""
    return {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[_dialect()](table)


# SQLAlchemy compiles an INSERT ... ON CONFLICT anew on every execution (the dialects' ON CONFLICT
# clauses have no cache key): ~2 ms of CPU per stored run here. The same statements as text()
# (one SQL for SQLite and PostgreSQL, typed by the table's columns) are compiled once.
_QUOTE = {"postgresql": postgresql.dialect().identifier_preparer.quote,
          "sqlite": sqlite.dialect().identifier_preparer.quote}


def _on_conflict(quote, table, conflict, counters):
    """ON CONFLICT (conflict) DO NOTHING, or with counters DO UPDATE adding them."""
    action = ("UPDATE SET " + ", ".join(f"{quote(c)} = {quote(table.name)}.{quote(c)} + "
                                        f"excluded.{quote(c)}" for c in counters)
              if counters else "NOTHING")
    return f"ON CONFLICT ({', '.join(map(quote, conflict))}) DO {action}"


def _insert_sql(quote, table, names, conflict, counters=(), returning=()):
    """INSERT of `names` (bound as :name) ON CONFLICT, RETURNING the `returning` columns."""
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "
           f"VALUES ({', '.join(':' + n for n in names)}) "
           f"{_on_conflict(quote, table, conflict, counters)}")
    if returning:
        sql += f" RETURNING {', '.join(quote(table.c[n].name) for n in returning)}"
    return sql


@functools.cache
def _on_conflict_text(dialect, table, names, conflict, counters=(), returning=()):
    """INSERT of `names` ON CONFLICT (conflict) DO NOTHING, or with counters DO UPDATE adding
    them; RETURNING the `returning` columns, typed."""
    sql = _insert_sql(_QUOTE[dialect], table, names, conflict, counters, returning)
    stmt = text(sql).bindparams(*(bindparam(n, type_=table.c[n].type) for n in names))
    return stmt.columns(*(table.c[n] for n in returning)) if returning else stmt


def _counter_param(i, r, name, shared, reused):
    """The bind name of counter table i's row r's column: the inserted row's own parameter when
    it holds the same value, one per table when all its rows share the value, else per row.
    psycopg re-parses every execution of a statement with more than 50 parameters; shared
    names keep a run's statement under that."""
    if name in reused:
        return name
    return f"c{i}_{name}" if name in shared else f"c{i}_{r}_{name}"


@functools.cache
def _insert_counted_text(table, names, conflict, returning, counted):
    """PostgreSQL: the INSERT ... ON CONFLICT DO NOTHING RETURNING of one row, then for each
    (counter table, its column names, number of rows, key, counters, shared, reused) in
    `counted` an upsert adding its rows (bound as _counter_param says) — each data-modifying
    WITH clause counts the rows of the one before, so they run one after the other, whole (the
    lock order of rollups.apply: a concurrent batch of the account cannot deadlock with it),
    and only when the row was inserted."""
    quote = _QUOTE["postgresql"]
    clauses = [f"ins AS ({_insert_sql(quote, table, names, conflict, returning=returning)})"]
    binds = {n: bindparam(n, type_=table.c[n].type) for n in names}
    before = "ins"
    for i, (counter, columns, count, key, counters, shared, reused) in enumerate(counted):
        rows = [[_counter_param(i, r, n, shared, reused) for n in columns] for r in range(count)]
        values = ", ".join("(" + ", ".join(":" + p for p in row) + ")" for row in rows)
        clauses.append(
            f"c{i} AS (INSERT INTO {quote(counter.name)} ({', '.join(map(quote, columns))}) "
            f"SELECT * FROM (VALUES {values}) AS v WHERE (SELECT count(*) FROM {before}) > 0 "
            f"{_on_conflict(quote, counter, key, counters)} RETURNING 1)")
        for row in rows:
            for n, p in zip(columns, row):
                binds.setdefault(p, bindparam(p, type_=counter.c[n].type))
        before = f"c{i}"
    sql = f"WITH {', '.join(clauses)} SELECT * FROM ins WHERE (SELECT count(*) FROM {before}) > 0"
    return text(sql).bindparams(*binds.values()).columns(*(table.c[n] for n in returning))


def insert_ignoring_conflicts(table, rows, conflict_columns, returning):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the database decides duplicates atomically,
    so concurrent replays of one batch can never create a row twice. One row goes through a
    statement compiled once per process; several through one multi-row statement."""
    if len(rows) == 1:
        stmt = _on_conflict_text(_dialect(), table, tuple(rows[0]), tuple(conflict_columns),
                                 returning=tuple(c.key for c in returning))
        return db.session.execute(stmt, rows[0]).all()
    stmt = _insert(table).on_conflict_do_nothing(index_elements=conflict_columns)
    return db.session.execute(stmt.returning(*returning), rows).all()


def insert_counted(table, row, conflict_columns, returning, counters):
    """insert_ignoring_conflicts of one row and, when it was inserted, upsert_adding of each
    (counter table, rows, key, counter columns) in `counters`, in that order. On PostgreSQL one
    statement (one round trip instead of one per table: the single-run write path is most of
    the API's load)."""
    if _dialect() != "postgresql":
        created = insert_ignoring_conflicts(table, [row], conflict_columns, returning)
        if created:
            for counter, rows, key, counted in counters:
                upsert_adding(counter, rows, key, counted)
        return created
    counted, params = [], dict(row)
    for i, (counter, rows, key, names) in enumerate(counters):
        shared = tuple(n for n in rows[0] if all(r[n] == rows[0][n] for r in rows))
        reused = tuple(n for n in shared if n in row and row[n] == rows[0][n])
        counted.append((counter, tuple(rows[0]), len(rows), tuple(key), tuple(names), shared,
                        reused))
        for r, values in enumerate(rows):
            params.update({_counter_param(i, r, n, shared, reused): v for n, v in values.items()})
    stmt = _insert_counted_text(table, tuple(row), tuple(conflict_columns),
                                tuple(c.key for c in returning), tuple(counted))
    return db.session.execute(stmt, params).all()


def upsert_adding(table, rows, key_columns, counter_columns):
    """INSERT ... ON CONFLICT (key) DO UPDATE SET c = c + excluded.c: counters change atomically
    in the database, whatever other transactions add at the same time. Rows are written in the
    order given (callers sort them: concurrent writers then lock rows in one order)."""
    stmt = _on_conflict_text(_dialect(), table, tuple(rows[0]), tuple(key_columns),
                             counters=tuple(counter_columns))
    db.session.execute(stmt, rows)
