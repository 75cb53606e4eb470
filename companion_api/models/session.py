"""A dashboard sign-in: the cookie holds a random token, the server its hash, so a session ends
the moment its row goes (sign out, sign out everywhere, password change, account deletion)."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .account import Account
from .types import OwnedByAccount, UTCDateTime, utcnow


class DashboardSession(OwnedByAccount, db.Model):
    __tablename__ = "dashboard_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(200))

    account: Mapped[Account] = relationship(lazy="joined")
