"""Rate-limit keys and costs.

Runs are limited per account and counted per run (a batch of 100 costs 100); register and login
per client IP; everything else gets a default limit keyed by account when the token is valid.
"""
from flask import current_app, request
from flask_limiter.util import get_remote_address


def _device():
    from .auth import current_device  # late: auth imports the extensions module

    return current_device()


def client_key():
    """Default limit key: the account for a valid token, else the client address."""
    device = _device()
    return f"account:{device.account_id}" if device else f"ip:{get_remote_address()}"


def ip_key():
    return f"ip:{get_remote_address()}"


def run_limit():
    return current_app.config["CHATRUN_RUN_LIMIT"]


def auth_limit():
    return current_app.config["CHATRUN_AUTH_LIMIT"]


def default_limit():
    return current_app.config["CHATRUN_DEFAULT_LIMIT"]


def batch_cost():
    """A batch costs one per item; an oversized or malformed body costs 1 (it gets 413/422)."""
    body = request.get_json(silent=True)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        return 1
    return len(items) if len(items) <= current_app.config["CHATRUN_MAX_BATCH"] else 1
