import marshmallow as ma
from marshmallow import fields

from ..accounts.schemas import DEVICE_NAME, DeviceSchema


class DeviceRenameSchema(ma.Schema):
    name = fields.String(required=True, validate=DEVICE_NAME)


class DeviceListSchema(ma.Schema):
    items = fields.List(fields.Nested(DeviceSchema), required=True)


__all__ = ["DeviceSchema", "DeviceRenameSchema", "DeviceListSchema"]
