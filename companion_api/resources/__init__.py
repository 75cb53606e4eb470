"""Resource blueprints: a new resource is one package plus one entry in MODULES."""
from . import accounts, artifacts, compat, devices, executions, exports, health, shares, stats

MODULES = (
    health.blp,
    accounts.auth_blp,
    accounts.account_blp,
    devices.blp,
    executions.blp,
    shares.blp,
    shares.public_blp,
    artifacts.blp,
    stats.blp,
    exports.blp,
    compat.blp,
)


def register_blueprints(api):
    for blp in MODULES:
        api.register_blueprint(blp)
