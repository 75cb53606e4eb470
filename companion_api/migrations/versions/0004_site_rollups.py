"""daily run counters per site (run_site_rollups): top sites and runs per day from counters

Over months, the dashboard's top sites and every range's runs per day read a few rows a day
instead of the runs (or every language and duration bucket); runs without a site are counted
under has_site false. The counters are backfilled here from the runs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('run_site_rollups',
    sa.Column('account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('has_site', sa.Boolean(), nullable=False),
    sa.Column('site', sa.String(length=255), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('successes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'day', 'has_site', 'site')
    )
    # Backfill from the runs (a frozen copy of services/rollups.REBUILD_SITES).
    op.execute(
        "INSERT INTO run_site_rollups (account_id, day, has_site, site, runs, successes) "
        "SELECT account_id, date(timestamp), page_site IS NOT NULL, COALESCE(page_site, ''), "
        "COUNT(*), SUM(CASE WHEN status = 'success' THEN 1 ELSE 0 END) FROM executions "
        "GROUP BY account_id, date(timestamp), page_site IS NOT NULL, COALESCE(page_site, '')")

def downgrade():
    op.drop_table('run_site_rollups')
