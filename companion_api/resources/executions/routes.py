"""Runs: create one, create a batch, list with filters, get, delete one, delete all."""
from flask.views import MethodView
from flask_smorest import abort

from ...auth import current_account_id, current_device
from ...blueprints import private_blueprint
from ...database import autocommit
from ...pagination import decode_cursor, encode_cursor, page_of, row_id, timestamp
from ...ratelimits import runs_budget
from ...services import ingest, queries
from .schemas import (BatchInSchema, BatchOutSchema, DeleteAllQuerySchema, DeletedSchema,
                      ExecutionInSchema, ExecutionPageSchema, ExecutionQuerySchema,
                      ExecutionSchema)

blp = private_blueprint("executions", "/api/v1/executions", "Runs of code blocks.")

# One budget shared by every route that stores runs, keyed by account.
runs_limit = runs_budget()
runs_batch_limit = runs_budget(batch=True)


def get_run_or_404(execution_id):
    """Another account's run answers 404, exactly like a missing one."""
    run = ingest.find(current_account_id(), execution_id)
    if run is None:
        abort(404, message="No such execution.")
    return run


@blp.route("")
class Executions(MethodView):
    @blp.arguments(ExecutionQuerySchema, location="query")
    @blp.response(200, ExecutionPageSchema)
    def get(self, args):
        """List runs, newest first, with filters and a cursor"""
        after = decode_cursor(args["cursor"], (timestamp, row_id)) if args.get("cursor") else None
        rows = queries.runs_page(current_account_id(), args, args["limit"], args["order"], after)
        items, next_cursor = page_of(rows, args["limit"],
                                     lambda r: encode_cursor(r.timestamp, r.id))
        return {"items": items, "next_cursor": next_cursor}

    @autocommit  # token lookup, then one INSERT with its counters (database.insert_counted)
    @runs_limit
    @blp.arguments(ExecutionInSchema)
    @blp.response(201, ExecutionSchema)
    @blp.alt_response(200, schema=ExecutionSchema,
                      description="Replay of a stored execution_id: the stored record")
    def post(self, data):
        """Store one run (idempotent on execution_id)"""
        run, created = ingest.store_one(data, current_device())
        return run, 201 if created else 200

    @blp.arguments(DeleteAllQuerySchema, location="query")
    @blp.response(200, DeletedSchema)
    def delete(self, _args):
        """Delete every run of the account (needs confirm=delete-all)"""
        return {"deleted": queries.delete_runs(current_account_id(), {})}


@blp.route("/batch")
class ExecutionBatch(MethodView):
    @runs_batch_limit
    @blp.arguments(BatchInSchema)
    @blp.response(200, BatchOutSchema)
    def post(self, args):
        """Store up to 500 runs, each created, duplicate or rejected on its own"""
        results = ingest.store_batch(args["items"], ExecutionInSchema(), current_device())
        counts = {k: sum(r["result"] == k for r in results)
                  for k in ("created", "duplicate", "rejected")}
        return {"results": results, **counts}


@blp.route("/<uuid:execution_id>")
class ExecutionById(MethodView):
    @blp.response(200, ExecutionSchema)
    def get(self, execution_id):
        """Show one run"""
        return get_run_or_404(execution_id)

    @blp.response(204)
    def delete(self, execution_id):
        """Delete one run"""
        queries.delete_run(get_run_or_404(execution_id))
