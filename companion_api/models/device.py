"""A device: one browser profile logged in, holding one bearer token (stored as a hash only)."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .account import Account
from .types import OwnedByAccount, UTCDateTime, utcnow


class Device(OwnedByAccount, db.Model):
    __tablename__ = "devices"

    name: Mapped[str] = mapped_column(String(100))
    # NULL once revoked: the row stays so past runs still name their device.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[Account] = relationship(lazy="joined")
