"""Engine tuning per database kind, and the dialect's 'insert unless it exists' statement."""
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite

from .extensions import db


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


def init_app(app):
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _tune_sqlite(engine)


def insert_ignoring_conflicts(table, rows, conflict_columns, returning):
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the database decides duplicates atomically,
    so concurrent replays of one batch can never create a row twice."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    stmt = insert(table).values(rows).on_conflict_do_nothing(index_elements=conflict_columns)
    return db.session.execute(stmt.returning(*returning)).all()
