"""List, rename and revoke the account's devices."""
from flask.views import MethodView
from flask_smorest import abort

from ...auth import current_account_id, current_device
from ...blueprints import private_blueprint
from ...services import devices as device_service
from .schemas import DeviceListSchema, DeviceRenameSchema, DeviceSchema

blp = private_blueprint("devices", "/api/v1/devices", "Devices (one bearer token each).")


def _mark_current(device):
    device.current = device.id == current_device().id
    return device


def get_device_or_404(device_id):
    """Another account's device id answers 404, exactly like a missing one."""
    device = device_service.find(current_account_id(), device_id)
    if device is None:
        abort(404, message="No such device.")
    return _mark_current(device)


@blp.route("")
class Devices(MethodView):
    @blp.response(200, DeviceListSchema)
    def get(self):
        """List devices, revoked ones included"""
        return {"items": [_mark_current(d) for d in device_service.for_account(current_account_id())]}


@blp.route("/<uuid:device_id>")
class DeviceById(MethodView):
    @blp.response(200, DeviceSchema)
    def get(self, device_id):
        """Show one device"""
        return get_device_or_404(device_id)

    @blp.arguments(DeviceRenameSchema)
    @blp.response(200, DeviceSchema)
    def patch(self, args, device_id):
        """Rename a device"""
        device = get_device_or_404(device_id)
        device_service.rename(device, args["name"])
        return device

    @blp.response(204)
    def delete(self, device_id):
        """Revoke a device: its token stops working at once (revoking this token logs out)"""
        device_service.revoke(get_device_or_404(device_id))
