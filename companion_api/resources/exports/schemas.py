from marshmallow import fields, validate

from ...schema_base import Schema

from ..executions.schemas import ExecutionFilterSchema, ExecutionSchema


class ExportQuerySchema(ExecutionFilterSchema):
    execution_id = fields.List(fields.UUID(), metadata={
        "description": "Export only these runs (repeat the parameter)"})
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=1000))


class ExportSchema(Schema):
    exported_at = fields.DateTime(required=True)
    count = fields.Integer(required=True)
    complete = fields.Boolean(required=True, metadata={
        "description": "false when the selection was cut at the export size limit"})
    executions = fields.List(fields.Nested(ExecutionSchema), required=True)


class NotebookSchema(Schema):
    """An nbformat 4 notebook (validated with nbformat before it is sent)."""

    nbformat = fields.Integer(required=True)
    nbformat_minor = fields.Integer(required=True)
    metadata = fields.Dict(required=True)
    cells = fields.List(fields.Dict(), required=True)
