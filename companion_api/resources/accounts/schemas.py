from marshmallow import fields, validate

from ...schema_base import Schema

DEVICE_NAME = validate.Length(min=1, max=100)


class CredentialsSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=320))
    password = fields.String(required=True, validate=validate.Length(min=8, max=1024),
                             load_only=True)
    device_name = fields.String(required=True, validate=DEVICE_NAME,
                                metadata={"example": "Chromium on laptop"})


class AccountSchema(Schema):
    id = fields.UUID(attribute="public_id", dump_only=True)
    email = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class AccountDetailSchema(AccountSchema):
    device_count = fields.Integer(dump_only=True)
    execution_count = fields.Integer(dump_only=True)


class DeviceSchema(Schema):
    id = fields.UUID(attribute="public_id", dump_only=True)
    name = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_used_at = fields.DateTime(dump_only=True, allow_none=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)
    current = fields.Boolean(dump_only=True, metadata={"description": "The device of this token"})


class SessionSchema(Schema):
    """What register and login hand back: the token is shown once and stored only hashed."""

    account = fields.Nested(AccountSchema, required=True)
    device = fields.Nested(DeviceSchema, required=True)
    token = fields.String(required=True, metadata={"description": "Bearer token for this device"})


class DeleteAccountSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))
    confirm = fields.String(required=True, validate=validate.Equal("delete my account"),
                            metadata={"description": 'Must be exactly "delete my account"'})
