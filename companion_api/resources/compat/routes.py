"""The two endpoints of the design's chat app, same Bearer auth, same run budget."""
from flask.views import MethodView

from ...auth import current_account_id, current_device
from ...blueprints import private_blueprint
from ...services import ingest, queries
from ..executions.routes import runs_limit
from ..executions.schemas import ExecutionSchema
from .schemas import CompatExecutionInSchema

blp = private_blueprint("chat-executions", "/api/chat/executions",
                        "Compatibility with the code-runner design's chat app.")


@blp.route("")
class ChatExecutions(MethodView):
    @runs_limit
    @blp.arguments(CompatExecutionInSchema)
    @blp.response(201, ExecutionSchema)
    @blp.alt_response(200, schema=ExecutionSchema,
                      description="Replay of a stored execution_id: the stored record")
    def post(self, data):
        """Save an execution result (the client's artifact_uuid is kept)"""
        run, created = ingest.store_one(data, current_device(), keep_artifact_uuid=True)
        return run, 201 if created else 200


@blp.route("/<text:message_uuid>")
class ChatExecutionsByMessage(MethodView):
    @blp.response(200, ExecutionSchema(many=True))
    def get(self, message_uuid):
        """A message's run history, oldest first"""
        return queries.message_runs(current_account_id(), message_uuid)
