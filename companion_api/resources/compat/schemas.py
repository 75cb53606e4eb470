"""The design's own execution-result body: there the client's artifact_uuid is kept."""
from marshmallow import fields, validate

from ..executions.schemas import ExecutionInSchema


class CompatExecutionInSchema(ExecutionInSchema):
    artifact_uuid = fields.String(required=True, validate=validate.Length(min=1, max=64),
                                  metadata={"description": "The chat app's artifact id, kept"})
    message_uuid = fields.String(required=True, validate=validate.Length(min=1, max=128))
    # The design's record has no code; without it the run is still history for its message.
    code = fields.String(load_default="")

    def check_artifact_uuid(self, data, **_kw):  # the client's id is kept as sent
        return None
