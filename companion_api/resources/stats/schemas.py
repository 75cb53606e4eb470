from marshmallow import fields

from ...schema_base import Schema
from ...schema_fields import Timestamp


class StatsQuerySchema(Schema):
    since = Timestamp(metadata={"description": "Default: 30 days before until"})
    until = Timestamp(metadata={"description": "Default: now"})


class DayStatsSchema(Schema):
    date = fields.String(required=True, metadata={"format": "date"})
    runs = fields.Integer(required=True)
    successes = fields.Integer(required=True)


class LanguageStatsSchema(Schema):
    language = fields.String(required=True)
    runs = fields.Integer(required=True)
    success_rate = fields.Float(required=True)
    p50 = fields.Integer(allow_none=True, required=True,
                         metadata={"description": "execution_time_ms, nearest rank"})
    p95 = fields.Integer(allow_none=True, required=True)


class DurationSchema(Schema):
    p50 = fields.Integer(allow_none=True, required=True)
    p95 = fields.Integer(allow_none=True, required=True)


class StatsSchema(Schema):
    since = fields.DateTime(required=True)
    until = fields.DateTime(required=True)
    runs = fields.Integer(required=True)
    success_rate = fields.Float(allow_none=True, required=True,
                                metadata={"description": "null when there are no runs"})
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    per_day = fields.List(fields.Nested(DayStatsSchema), required=True,
                          metadata={"description": "UTC days that had runs"})
    per_language = fields.List(fields.Nested(LanguageStatsSchema), required=True)
    duration_ms = fields.Nested(DurationSchema, required=True)
