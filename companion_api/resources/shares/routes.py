"""Share links: random, revocable, public read of one run's code and output."""
from flask.views import MethodView
from flask_smorest import abort

from ...auth import current_account_id
from ...blueprints import PUBLIC, private_blueprint, public_blueprint
from ...services import shares as share_service
from ..executions.routes import get_run_or_404
from .schemas import NewShareSchema, SharedRunSchema, ShareListSchema, ShareSchema

blp = private_blueprint("shares", "/api/v1", "Share links to single runs.")
public_blp = public_blueprint("shared", "/api/v1/shared", "Public view of a shared run.")


@blp.route("/executions/<uuid:execution_id>/shares")
class RunShares(MethodView):
    @blp.response(201, NewShareSchema)
    def post(self, execution_id):
        """Create a share link for a run"""
        share, token = share_service.create(get_run_or_404(execution_id))
        share.token = token
        share.url = share_service.link("shared.SharedRun", token)
        return share


@blp.route("/shares")
class Shares(MethodView):
    @blp.response(200, ShareListSchema)
    def get(self):
        """List share links, revoked ones included"""
        return {"items": share_service.for_account(current_account_id())}


@blp.route("/shares/<uuid:share_id>")
class ShareById(MethodView):
    @blp.response(204)
    def delete(self, share_id):
        """Revoke a share link"""
        if share_service.revoke(current_account_id(), share_id) is None:
            abort(404, message="No such share link.")


@public_blp.route("/<text:token>")
class SharedRun(MethodView):
    @public_blp.doc(**PUBLIC)
    @public_blp.response(200, SharedRunSchema)
    def get(self, token):
        """Show a shared run's code and output (no authentication)"""
        run = share_service.shared_run(token)
        if run is None:
            abort(404, message="No such share link, or it was revoked.")
        return run
