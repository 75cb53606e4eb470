"""An account's devices: resolve a token, list, find, rename, revoke."""
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Device
from ..models.types import utcnow
from ..tokens import token_hash

# Touching last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def by_token(token):
    """The live (not revoked) device holding this bearer token, or None."""
    return db.session.scalar(select(Device).where(Device.token_hash == token_hash(token),
                                                  Device.revoked_at.is_(None)))


def touch(device):
    """Record that the device was used (at most every LAST_USED_RESOLUTION)."""
    now = utcnow()
    if device.last_used_at is None or now - device.last_used_at > LAST_USED_RESOLUTION:
        device.last_used_at = now
        db.session.commit()


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
