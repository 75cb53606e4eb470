"""Dashboard sessions: start, resolve, list and end them (the cookie holds only a token)."""
from datetime import timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import DashboardSession
from ..models.types import utcnow
from ..tokens import SESSION_TOKEN_PREFIX, new_token, token_hash

# Touching last_seen_at on every page would turn each read into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


def start(account, user_agent=None):
    """Return the token of a new session for the account; only its hash is stored."""
    token = new_token(SESSION_TOKEN_PREFIX)
    db.session.add(DashboardSession(account=account, token_hash=token_hash(token),
                                    user_agent=(user_agent or "")[:200] or None))
    db.session.commit()
    return token


def resolve(token, max_age):
    """The live session of this token, or None (unknown, ended, or older than max_age)."""
    if not token:
        return None
    found = db.session.scalar(select(DashboardSession).where(
        DashboardSession.token_hash == token_hash(token)))
    now = utcnow()
    if found is None or now - found.created_at > max_age:
        return None
    if now - found.last_seen_at > LAST_SEEN_RESOLUTION:
        found.last_seen_at = now
        db.session.commit()
    return found


def for_account(account_id):
    return db.session.scalars(select(DashboardSession).where(
        DashboardSession.account_id == account_id).order_by(DashboardSession.created_at.desc(),
                                                            DashboardSession.id.desc())).all()


def end(account_id, session_id=None, token=None, keep=None):
    """End one session (by public id or token), or all of the account's but `keep` (a session
    to spare, e.g. the one that changed the password); return how many ended."""
    stmt = delete(DashboardSession).where(DashboardSession.account_id == account_id)
    if session_id is not None:
        stmt = stmt.where(DashboardSession.public_id == session_id)
    if token is not None:
        stmt = stmt.where(DashboardSession.token_hash == token_hash(token))
    if keep is not None:
        stmt = stmt.where(DashboardSession.id != keep.id)
    ended = db.session.execute(stmt).rowcount
    db.session.commit()
    return ended
