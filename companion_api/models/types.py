"""Column types shared by the models."""
from datetime import datetime, timezone

import uuid

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a real bigint.
BigId = BigInteger().with_variant(Integer(), "sqlite")
JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator):
    """Store naive UTC, hand back aware UTC: SQLite has no time zones and day grouping must agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # SQLite func.max() returns text
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=timezone.utc)


def utcnow():
    return datetime.now(timezone.utc)


class OwnedByAccount:
    """Columns of a record that an account owns and clients address by a random UUID."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Clients see this, never the sequential id (which would leak counts and invite guessing).
    public_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)

    @declared_attr
    def account_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
