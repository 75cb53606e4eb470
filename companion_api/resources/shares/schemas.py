from marshmallow import fields

from ...schema_base import Schema

from ..executions.schemas import OutputItemOutSchema


class ShareSchema(Schema):
    id = fields.UUID(attribute="public_id", required=True)
    execution_id = fields.UUID(attribute="execution.execution_id", required=True)
    created_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True, required=True)


class NewShareSchema(ShareSchema):
    """Returned once, at creation: only the token's hash is stored."""

    token = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "Public link (no auth)"})


class ShareListSchema(Schema):
    items = fields.List(fields.Nested(ShareSchema), required=True)


class SharedRunSchema(Schema):
    """What a share link shows: code and output only (no page, device, account or ids)."""

    title = fields.String(allow_none=True)
    language = fields.String(required=True)
    code = fields.String(required=True)
    status = fields.String(required=True)
    output = fields.List(fields.Nested(OutputItemOutSchema), required=True)
    truncated = fields.Boolean(required=True)
