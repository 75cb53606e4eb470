"""Share links: random, revocable, public read of one run's code and output."""
from flask import url_for
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select

from ...auth import current_account_id
from ...blueprints import PUBLIC, private_blueprint, public_blueprint
from ...extensions import db
from ...models import ShareLink
from ...models.types import utcnow
from ...tokens import SHARE_TOKEN_PREFIX, new_token, token_hash
from ..executions.routes import get_run_or_404
from .schemas import NewShareSchema, SharedRunSchema, ShareListSchema, ShareSchema

blp = private_blueprint("shares", "/api/v1", "Share links to single runs.")
public_blp = public_blueprint("shared", "/api/v1/shared", "Public view of a shared run.")


@blp.route("/executions/<uuid:execution_id>/shares")
class RunShares(MethodView):
    @blp.response(201, NewShareSchema)
    def post(self, execution_id):
        """Create a share link for a run"""
        run = get_run_or_404(execution_id)
        token = new_token(SHARE_TOKEN_PREFIX)
        share = ShareLink(account_id=run.account_id, execution=run, token_hash=token_hash(token))
        db.session.add(share)
        db.session.commit()
        share.token = token
        share.url = url_for("shared.SharedRun", token=token, _external=True)
        return share


@blp.route("/shares")
class Shares(MethodView):
    @blp.response(200, ShareListSchema)
    def get(self):
        """List share links, revoked ones included"""
        shares = db.session.scalars(select(ShareLink).where(
            ShareLink.account_id == current_account_id()).order_by(ShareLink.created_at.desc(),
                                                                   ShareLink.id.desc()))
        return {"items": shares.all()}


@blp.route("/shares/<uuid:share_id>")
class ShareById(MethodView):
    @blp.response(204)
    def delete(self, share_id):
        """Revoke a share link"""
        share = db.session.scalar(select(ShareLink).where(
            ShareLink.public_id == share_id, ShareLink.account_id == current_account_id()))
        if share is None:
            abort(404, message="No such share link.")
        share.revoked_at = share.revoked_at or utcnow()
        db.session.commit()


@public_blp.route("/<text:token>")
class SharedRun(MethodView):
    @public_blp.doc(**PUBLIC)
    @public_blp.response(200, SharedRunSchema)
    def get(self, token):
        """Show a shared run's code and output (no authentication)"""
        share = db.session.scalar(select(ShareLink).where(
            ShareLink.token_hash == token_hash(token), ShareLink.revoked_at.is_(None)))
        if share is None:
            abort(404, message="No such share link, or it was revoked.")
        return share.execution
