"""Rate-limit keys and costs.

Runs are limited per account and counted per run (a batch of 100 costs 100); register, login and
account deletion per client IP; failed password checks per account (login and account deletion,
API and dashboard alike); everything else gets a default limit keyed by account when the token
is valid.
"""
from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from .auth import current_device


def client_key():
    """Default limit key: the account for a valid token, else the client address."""
    device = current_device()
    return f"account:{device.account_id}" if device else f"ip:{get_remote_address()}"


def ip_key():
    return f"ip:{get_remote_address()}"


def password_limit():
    return current_app.config["CHATRUN_PASSWORD_LIMIT"]


def account_key(email):
    """The per-account password budget's key: the account's email (known or not, so a guess at
    an unknown address costs the same as one at a real account)."""
    return f"password:{(email or '').strip().lower()}"


def sent_email_key():
    """account_key of the email a login sends (JSON body or dashboard form)."""
    body = request.get_json(silent=True) if request.is_json else request.form
    email = body.get("email") if hasattr(body, "get") else None
    return account_key(email if isinstance(email, str) else None)


def failed_password_check(response):
    """Only failed checks spend the per-account budget: its owner can still sign in."""
    return response.status_code in (401, 403, 422)


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


# Limits come from config in init_app; the default key is the account when a token is valid.
limiter = Limiter(key_func=client_key, default_limits=[default_limit])


def auth_ip_limit():
    """Register, login and account deletion share one budget per client IP (POSTs only)."""
    return limiter.shared_limit(auth_limit, scope="auth", key_func=ip_key, methods=["POST"])


def password_account_limit(key_func):
    """Failed password checks against one account, wherever they happen (API login and account
    deletion, dashboard sign-in and account deletion): one budget per account."""
    return limiter.shared_limit(password_limit, scope="password", key_func=key_func,
                                deduct_when=failed_password_check, methods=["POST"])
