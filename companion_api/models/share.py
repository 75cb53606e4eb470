"""A revocable public link to one run's code and output."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .execution import Execution
from .types import BigId, OwnedByAccount, UTCDateTime, utcnow


class ShareLink(OwnedByAccount, db.Model):
    __tablename__ = "share_links"

    execution_pk: Mapped[int] = mapped_column(
        BigId, ForeignKey("executions.id", ondelete="CASCADE"), index=True
    )
    # Only the hash: a leaked database does not leak working links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    execution: Mapped[Execution] = relationship(lazy="joined")
