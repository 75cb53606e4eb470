"""Per-account daily counters of runs, so /stats over months reads thousands of rows, not every
run (services/rollups.py keeps them exact in the transaction that stores or deletes runs)."""
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import BigId


class _LanguageBucketCounts:
    """Counters of the runs of one language and duration bucket, one per status."""

    language: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The bucket's lowest execution_time_ms (services/rollups.DURATION_FLOORS): percentiles find
    # their bucket here and the exact value among that bucket's runs only.
    duration_floor: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One counter per status (models.execution.STATUSES).
    success: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[int] = mapped_column(Integer, default=0)
    timeout: Mapped[int] = mapped_column(Integer, default=0)
    stopped: Mapped[int] = mapped_column(Integer, default=0)


class RunRollup(_LanguageBucketCounts, db.Model):
    """Runs of one account, UTC day, language and duration bucket, counted per status."""

    __tablename__ = "run_rollups"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class RunSiteRollup(db.Model):
    """Runs of one account, UTC day and site: the dashboard's top sites and every range's runs per
    day read these few rows, not every run. Runs without a site are counted too, under
    has_site false and site '' (a site may itself be called '')."""

    __tablename__ = "run_site_rollups"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    has_site: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    runs: Mapped[int] = mapped_column(Integer, default=0)
    successes: Mapped[int] = mapped_column(Integer, default=0)


class RunBlockRollup(_LanguageBucketCounts, db.Model):
    """RunRollup's counts summed over aligned blocks of `span` UTC days (services/rollups.SPANS:
    4, 16 and 64 days, a block's first day a multiple of span days after 0001-01-01), so a long
    range sums a few blocks and its edge days instead of every day."""

    __tablename__ = "run_block_rollups"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    span: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the block's first day
