"""All models, imported here so Alembic's autogenerate sees every table."""
from .account import Account
from .device import Device
from .execution import STATUSES, Execution
from .share import ShareLink

__all__ = ["Account", "Device", "Execution", "ShareLink", "STATUSES"]
