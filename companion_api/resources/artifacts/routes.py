"""Artifacts: one block of code, however many times and on whichever devices it ran."""
from flask.views import MethodView
from flask_smorest import abort

from ...auth import current_account_id
from ...blueprints import private_blueprint
from ...pagination import decode_cursor, encode_cursor, page_of, string, timestamp
from ...services import artifacts
from .schemas import ArtifactDetailSchema, ArtifactPageSchema, ArtifactQuerySchema

blp = private_blueprint("artifacts", "/api/v1/artifacts", "Runs grouped by code fingerprint.")
MAX_RUNS_SHOWN = 200


@blp.route("")
class Artifacts(MethodView):
    @blp.arguments(ArtifactQuerySchema, location="query")
    @blp.response(200, ArtifactPageSchema)
    def get(self, args):
        """List artifacts, most recently run first"""
        before = decode_cursor(args["cursor"], (timestamp, string)) if args.get("cursor") else None
        rows, items = artifacts.page(current_account_id(), args["limit"], args.get("language"),
                                     before)
        _page, next_cursor = page_of(rows, args["limit"],
                                     lambda g: encode_cursor(g.last_run_at, g.artifact_uuid))
        return {"items": items, "next_cursor": next_cursor}


@blp.route("/<text:artifact_uuid>")
class ArtifactById(MethodView):
    @blp.response(200, ArtifactDetailSchema)
    def get(self, artifact_uuid):
        """Show one artifact with its runs across devices"""
        found = artifacts.detail(current_account_id(), artifact_uuid, MAX_RUNS_SHOWN)
        if found is None:
            abort(404, message="No such artifact.")
        return found
