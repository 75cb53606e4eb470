"""Share links: create, list, revoke, and resolve a public token to its run."""
from flask import current_app, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import ShareLink
from ..models.types import utcnow
from ..tokens import SHARE_TOKEN_PREFIX, new_token, token_hash


def create(run):
    """Return (share, token) for a run; the token is shown once, only its hash is kept."""
    token = new_token(SHARE_TOKEN_PREFIX)
    share = ShareLink(account_id=run.account_id, execution=run, token_hash=token_hash(token))
    db.session.add(share)
    db.session.commit()
    return share, token


def link(endpoint, token):
    """The absolute URL of a share page on the configured public base URL (CHATRUN_PUBLIC_URL),
    never on the request's Host header, which any client can set."""
    return current_app.config["CHATRUN_PUBLIC_URL"].rstrip("/") + url_for(endpoint, token=token)


def for_account(account_id, execution_pk=None):
    """The account's links, newest first, optionally only those of one run."""
    stmt = select(ShareLink).where(ShareLink.account_id == account_id)
    if execution_pk is not None:
        stmt = stmt.where(ShareLink.execution_pk == execution_pk)
    return db.session.scalars(stmt.order_by(ShareLink.created_at.desc(), ShareLink.id.desc())).all()


def revoke(account_id, share_id):
    """Revoke one of the account's links; return it, or None when it is not theirs."""
    share = db.session.scalar(select(ShareLink).where(
        ShareLink.public_id == share_id, ShareLink.account_id == account_id))
    if share is not None and share.revoked_at is None:
        share.revoked_at = utcnow()
        db.session.commit()
    return share


def shared_run(token):
    """The run behind a live link, or None (unknown or revoked)."""
    share = db.session.scalar(select(ShareLink).where(
        ShareLink.token_hash == token_hash(token), ShareLink.revoked_at.is_(None)))
    return share.execution if share else None
