from marshmallow import fields, validate

from ...schema_base import Schema

from ..executions.schemas import LANGUAGE, ExecutionSummarySchema


class ArtifactSchema(Schema):
    """Runs grouped by code fingerprint; code and title come from the latest run."""

    artifact_uuid = fields.String(required=True)
    language = fields.String(required=True)
    title = fields.String(allow_none=True)
    code = fields.String(required=True)
    run_count = fields.Integer(required=True)
    device_count = fields.Integer(required=True)
    first_run_at = fields.DateTime(required=True)
    last_run_at = fields.DateTime(required=True)
    last_status = fields.String(required=True)


class ArtifactDetailSchema(ArtifactSchema):
    runs = fields.List(fields.Nested(ExecutionSummarySchema), required=True,
                       metadata={"description": "Newest first, at most 200 (summaries)"})


class ArtifactQuerySchema(Schema):
    language = fields.String(validate=LANGUAGE)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(validate=validate.Length(max=500))


class ArtifactPageSchema(Schema):
    items = fields.List(fields.Nested(ArtifactSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
