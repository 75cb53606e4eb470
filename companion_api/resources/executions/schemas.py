"""The wire record of a run (the design's execution result, extended) and its query args."""
from flask import current_app
from marshmallow import ValidationError, fields, pre_load, validate, validates_schema

from ...errors import PayloadTooLarge
from ...fingerprint import artifact_uuid
from ...models import STATUSES
from ...schema_base import Schema
from ...schema_fields import Timestamp
from ...text import utf8
from ...services.output import figure_bytes, is_png, parse_table

OUTPUT_TYPES = ("stdout", "stderr", "log", "info", "warn", "error", "debug", "return",
                "figure", "table")
# Bounds the validation work per run; past it the output is cut and flagged like an oversize one.
MAX_OUTPUT_ITEMS = 20000
REJECTION_CODES = ("validation_error", "payload_too_large", "unprocessable")
LANGUAGE = validate.Regexp(r"^[A-Za-z0-9+#._-]{1,32}$", error="Not a language name.")


class OutputItemSchema(Schema):
    NUL_REPLACED = frozenset({"content"})

    type = fields.String(required=True, validate=validate.OneOf(OUTPUT_TYPES))
    content = fields.String(required=True)
    timestamp = Timestamp(required=True)

    @validates_schema
    def check_content(self, data, **_kw):
        kind, content = data.get("type"), data.get("content")
        if kind == "figure" and not is_png(content):
            raise ValidationError("A figure is a base64-encoded PNG.", "content")
        if kind == "table" and parse_table(content) is None:
            raise ValidationError(
                'A table is JSON {"columns": [scalars], "rows": [lists or objects of scalars], '
                '"index": [scalars] or null}; other keys hold scalars or lists of scalars.',
                "content")


class PageSchema(Schema):
    url = fields.Url(schemes={"http", "https"}, require_tld=False, allow_none=True,
                     validate=validate.Length(max=2048))
    site = fields.String(allow_none=True, validate=validate.Length(max=255))
    title = fields.String(allow_none=True, validate=validate.Length(max=500))


class ExecutionInSchema(Schema):
    """A run as the extension sends it; the device comes from the token, never from here."""

    execution_id = fields.UUID(required=True, metadata={"description": "Client-made, unique per user"})
    artifact_uuid = fields.UUID(
        metadata={"description": "Optional; if sent it must equal the server's fingerprint"})
    message_uuid = fields.String(allow_none=True, load_default=None,
                                 validate=validate.Length(min=1, max=128))
    timestamp = Timestamp(required=True, metadata={"description": "Start of the run"})
    execution_time_ms = fields.Float(required=True, validate=validate.Range(min=0, max=86_400_000))
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    output = fields.List(fields.Nested(OutputItemSchema), load_default=list)
    code = fields.String(required=True)
    language = fields.String(required=True, validate=LANGUAGE)
    title = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=300))
    page = fields.Nested(PageSchema, allow_none=True, load_default=None)
    truncated = fields.Boolean(load_default=False)

    @pre_load
    def refuse_oversize(self, data, **_kw):
        """413 for the parts the issue refuses (code, figures); cap the item count."""
        if not isinstance(data, dict):
            return data
        cfg = current_app.config
        code = data.get("code")
        if isinstance(code, str) and len(utf8(code)) > cfg["CHATRUN_MAX_CODE_BYTES"]:
            raise PayloadTooLarge("code", f"code is over {cfg['CHATRUN_MAX_CODE_BYTES']} bytes.")
        output = data.get("output")
        if isinstance(output, list):
            for i, item in enumerate(output):
                if (isinstance(item, dict) and item.get("type") == "figure"
                        and isinstance(item.get("content"), str)
                        and figure_bytes(item["content"]) > cfg["CHATRUN_MAX_FIGURE_BYTES"]):
                    raise PayloadTooLarge(f"output.{i}.content",
                                          f"figure is over {cfg['CHATRUN_MAX_FIGURE_BYTES']} bytes.")
            if len(output) > MAX_OUTPUT_ITEMS:
                data = {**data, "output": output[:MAX_OUTPUT_ITEMS], "truncated": True}
        return data

    @validates_schema
    def check_artifact_uuid(self, data, **_kw):
        sent = data.get("artifact_uuid")
        if sent is not None and "code" in data and sent != artifact_uuid(data["code"]):
            raise ValidationError(
                "Does not match the code: expected UUIDv5(NAMESPACE_URL, 'sha256:' + sha256 hex "
                "of the code without its marker line, newlines as \\n).", "artifact_uuid")


class OutputItemOutSchema(Schema):
    type = fields.String(required=True)
    content = fields.String(required=True)
    timestamp = fields.String(required=True, metadata={"format": "date-time"})


class PageOutSchema(Schema):
    url = fields.String(allow_none=True)
    site = fields.String(allow_none=True)
    title = fields.String(allow_none=True)


class DeviceRefSchema(Schema):
    id = fields.UUID(attribute="public_id")
    name = fields.String()


class _StoredRunSchema(Schema):
    """What a stored run and its summary share: everything but the output."""

    execution_id = fields.UUID(required=True)
    artifact_uuid = fields.String(required=True)
    message_uuid = fields.String(allow_none=True)
    timestamp = fields.DateTime(required=True)
    execution_time_ms = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    code = fields.String(required=True)
    language = fields.String(required=True)
    title = fields.String(allow_none=True)
    page = fields.Nested(PageOutSchema, allow_none=True)
    truncated = fields.Boolean(required=True)
    device = fields.Nested(DeviceRefSchema, required=True)


class ExecutionSchema(_StoredRunSchema):
    """A stored run, as GET /executions/{id}, the create routes and the exports return it."""

    output = fields.List(fields.Nested(OutputItemOutSchema), required=True)


class ExecutionSummarySchema(_StoredRunSchema):
    """A run in a list: no output (fetch GET /executions/{id} for it), only its beginning."""

    output_preview = fields.String(required=True, metadata={
        "description": "The first 300 characters of the text output (figures left out, items "
                       "joined by newlines)"})


class ExecutionFilterSchema(Schema):
    """Filters shared by the list and the exports."""

    language = fields.String(validate=LANGUAGE)
    status = fields.String(validate=validate.OneOf(STATUSES))
    site = fields.String(validate=validate.Length(max=255))
    device = fields.UUID(metadata={"description": "A device id"})
    since = Timestamp(metadata={"description": "Runs started at or after"})
    until = Timestamp(metadata={"description": "Runs started before"})
    q = fields.String(validate=validate.Length(min=1, max=200),
                      metadata={"description": "Text search in code and output"})


class ExecutionQuerySchema(ExecutionFilterSchema):
    order = fields.String(load_default="newest", validate=validate.OneOf(("newest", "oldest")))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(validate=validate.Length(max=500))


class ExecutionPageSchema(Schema):
    items = fields.List(fields.Nested(ExecutionSummarySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class RawItems(fields.List):
    """Documented as a list of runs, but loaded as raw dicts: each item is validated on its own
    so one bad run cannot sink the batch."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ValidationError("Not a valid list.")
        return value


class BatchInSchema(Schema):
    items = RawItems(fields.Nested(ExecutionInSchema), required=True,
                     metadata={"description": "1 to 500 runs, accepted per item"})

    @validates_schema
    def check_size(self, data, **_kw):
        items, limit = data.get("items", []), current_app.config["CHATRUN_MAX_BATCH"]
        if len(items) > limit:
            raise PayloadTooLarge("items", f"A batch holds at most {limit} runs.")
        if not items:
            raise ValidationError("A batch holds at least one run.", "items")


class BatchResultSchema(Schema):
    index = fields.Integer(required=True)
    execution_id = fields.String(allow_none=True, required=True)
    result = fields.String(required=True, validate=validate.OneOf(("created", "duplicate", "rejected")))
    code = fields.String(
        validate=validate.OneOf(REJECTION_CODES),
        metadata={"description": "Rejected items only: validation_error | payload_too_large | "
                                 "unprocessable. Every rejection is final for that payload: "
                                 "sending it again gets the same answer."})
    reason = fields.String(metadata={"description": "Rejected items only: why, for people"})
    fields_ = fields.Dict(data_key="fields", keys=fields.String(),
                          values=fields.List(fields.String()))


class BatchOutSchema(Schema):
    results = fields.List(fields.Nested(BatchResultSchema), required=True)
    created = fields.Integer(required=True)
    duplicate = fields.Integer(required=True)
    rejected = fields.Integer(required=True)


class DeleteAllQuerySchema(Schema):
    confirm = fields.String(required=True, validate=validate.Equal("delete-all"),
                            metadata={"description": 'Must be exactly "delete-all"'})


class DeletedSchema(Schema):
    deleted = fields.Integer(required=True)
