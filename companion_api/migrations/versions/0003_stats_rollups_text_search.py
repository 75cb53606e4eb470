"""daily run counters (run_rollups) and database text search over code and output

Stats over months read run_rollups (per account, UTC day, language and duration bucket, a
counter per status) instead of every run; the counters are backfilled here from the runs. Text
search uses the database's own index: PostgreSQL pg_trgm GIN indexes on code and output_text
(they answer the ILIKE the app runs), SQLite an FTS5 trigram table over the same two
columns, kept in step by triggers and rebuilt here.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 18:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

STATUSES = ("success", "error", "timeout", "stopped")


def _duration_floors(ratio=1.08, limit=2**31):
    # A frozen copy of services/rollups.DURATION_FLOORS (tests/api/test_rollups.py compares).
    floors = [0]
    while floors[-1] < limit:
        floors.append(max(floors[-1] + 1, int(floors[-1] * ratio)))
    return floors


def _backfill_rollups():
    floors = _duration_floors()
    buckets = ", ".join(f"({lo}, {hi})" for lo, hi in zip(floors, floors[1:]))
    counts = ", ".join(f"SUM(CASE WHEN e.status = '{s}' THEN 1 ELSE 0 END)" for s in STATUSES)
    op.execute(
        f"WITH b(lo, hi) AS (VALUES {buckets}) "
        f"INSERT INTO run_rollups (account_id, day, language, duration_floor, "
        f"{', '.join(STATUSES)}) "
        f"SELECT e.account_id, date(e.timestamp), e.language, b.lo, {counts} "
        f"FROM executions e JOIN b ON e.execution_time_ms >= b.lo AND e.execution_time_ms < b.hi "
        f"GROUP BY e.account_id, date(e.timestamp), e.language, b.lo")


SQLITE_FTS = [
    "CREATE VIRTUAL TABLE executions_fts USING fts5(code, output_text, content='executions', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER executions_fts_insert AFTER INSERT ON executions BEGIN "
    "INSERT INTO executions_fts(rowid, code, output_text) "
    "VALUES (new.id, new.code, new.output_text); END",
    "CREATE TRIGGER executions_fts_delete AFTER DELETE ON executions BEGIN "
    "INSERT INTO executions_fts(executions_fts, rowid, code, output_text) "
    "VALUES ('delete', old.id, old.code, old.output_text); END",
    "CREATE TRIGGER executions_fts_update AFTER UPDATE OF code, output_text ON executions BEGIN "
    "INSERT INTO executions_fts(executions_fts, rowid, code, output_text) "
    "VALUES ('delete', old.id, old.code, old.output_text); "
    "INSERT INTO executions_fts(rowid, code, output_text) "
    "VALUES (new.id, new.code, new.output_text); END",
    "INSERT INTO executions_fts(executions_fts) VALUES ('rebuild')",
]


def _postgres_trigram_indexes():
    conn = op.get_bind()
    schema = conn.scalar(sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"))
    if schema is None:
        # Its own schema: scratch schemas (tests, benchmarks) come and go without taking it along.
        op.execute("CREATE SCHEMA IF NOT EXISTS extensions")
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions")
        schema = "extensions"
    for name, column in (("ix_executions_code_trgm", "code"),
                         ("ix_executions_output_trgm", "output_text")):
        op.execute(f'CREATE INDEX {name} ON executions USING gin ({column} "{schema}".gin_trgm_ops)')


def upgrade():
    op.create_table('run_rollups',
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('language', sa.String(length=32), nullable=False),
    sa.Column('duration_floor', sa.Integer(), nullable=False),
    sa.Column('success', sa.Integer(), nullable=False),
    sa.Column('error', sa.Integer(), nullable=False),
    sa.Column('timeout', sa.Integer(), nullable=False),
    sa.Column('stopped', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'day', 'language', 'duration_floor')
    )
    with op.batch_alter_table('executions', schema=None) as batch_op:
        batch_op.create_index('ix_executions_account_duration',
                              ['account_id', 'execution_time_ms', 'timestamp', 'language'],
                              unique=False)
    _backfill_rollups()
    if op.get_bind().dialect.name == "postgresql":
        _postgres_trigram_indexes()
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_executions_output_trgm")
        op.execute("DROP INDEX ix_executions_code_trgm")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER executions_fts_{trigger}")
        op.execute("DROP TABLE executions_fts")
    with op.batch_alter_table('executions', schema=None) as batch_op:
        batch_op.drop_index('ix_executions_account_duration')
    op.drop_table('run_rollups')
