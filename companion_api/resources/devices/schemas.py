from marshmallow import fields

from ...schema_base import Schema

from ..accounts.schemas import DEVICE_NAME, DeviceSchema


class DeviceRenameSchema(Schema):
    name = fields.String(required=True, validate=DEVICE_NAME)


class DeviceListSchema(Schema):
    items = fields.List(fields.Nested(DeviceSchema), required=True)


__all__ = ["DeviceSchema", "DeviceRenameSchema", "DeviceListSchema"]
