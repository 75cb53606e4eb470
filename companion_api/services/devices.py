"""An account's devices: list, find, rename, revoke."""
from sqlalchemy import select

from ..extensions import db
from ..models import Device
from ..models.types import utcnow


def for_account(account_id):
    """All devices, revoked ones included, oldest first."""
    return db.session.scalars(select(Device).where(Device.account_id == account_id)
                              .order_by(Device.created_at, Device.id)).all()


def find(account_id, device_id):
    """The account's device with this public id, or None (another account's counts as none)."""
    return db.session.scalar(select(Device).where(Device.public_id == device_id,
                                                  Device.account_id == account_id))


def rename(device, name):
    device.name = name
    db.session.commit()


def revoke(device):
    """Its token stops working at once; the row stays so past runs still name it."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.token_hash = None
        db.session.commit()
