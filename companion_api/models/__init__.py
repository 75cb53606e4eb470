"""All models, imported here so Alembic's autogenerate sees every table."""
from .account import Account
from .device import Device
from .execution import STATUSES, Execution
from .rollup import RunBlockRollup, RunRollup, RunSiteRollup
from .session import DashboardSession
from .share import ShareLink

__all__ = ["Account", "DashboardSession", "Device", "Execution", "RunBlockRollup", "RunRollup", "RunSiteRollup", "ShareLink", "STATUSES"]
