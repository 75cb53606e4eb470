"""One run of a code block, as the extension reports it."""
import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from ..extensions import db
from .device import Device
from .types import BigId, JsonDoc, UTCDateTime, utcnow

STATUSES = ("success", "error", "timeout", "stopped")


class Execution(db.Model):
    __tablename__ = "executions"
    __table_args__ = (
        # Idempotency: a replayed execution_id can never become a second row.
        UniqueConstraint("account_id", "execution_id", name="uq_executions_account_execution"),
        Index("ix_executions_account_timestamp", "account_id", "timestamp", "id"),
        Index("ix_executions_account_artifact", "account_id", "artifact_uuid"),
        Index("ix_executions_account_message", "account_id", "message_uuid"),
        # Covers the exact percentile lookup inside one duration bucket (services/rollups.py).
        Index("ix_executions_account_duration", "account_id", "execution_time_ms", "timestamp",
              "language"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    device_id: Mapped[int] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), index=True
    )
    execution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # String, not Uuid: the compatibility endpoint keeps whatever id the client sent.
    artifact_uuid: Mapped[str] = mapped_column(String(64))
    message_uuid: Mapped[str | None] = mapped_column(String(128))
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime)
    execution_time_ms: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(300))
    page_url: Mapped[str | None] = mapped_column(String(2048))
    page_site: Mapped[str | None] = mapped_column(String(255))
    page_title: Mapped[str | None] = mapped_column(String(500))
    output: Mapped[list] = mapped_column(JsonDoc)
    # Text outputs joined, so search reads plain text (JSON text has escapes); code and this are
    # indexed for substring search by the database (migration 0003: pg_trgm or SQLite FTS5).
    output_text: Mapped[str] = mapped_column(Text)
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Not a column: lists load this instead of output (services.queries.summaries).
    output_preview: Mapped[str | None] = query_expression()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    device: Mapped[Device] = relationship(lazy="joined")

    @property
    def page(self):
        if not (self.page_url or self.page_site or self.page_title):
            return None
        return {"url": self.page_url, "site": self.page_site, "title": self.page_title}
