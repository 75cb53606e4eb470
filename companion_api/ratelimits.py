"""Rate-limit keys and costs.

Runs are limited per account and counted per run (a batch of 100 costs 100): per day by when
they arrive (exact), per minute by when they ran (see `runs_budget`). Register, login and
account deletion per client IP; failed password checks per account (login and account deletion,
API and dashboard alike); everything else gets a default limit keyed by account when the token
is valid.
"""
import functools
import time
from collections import Counter
from datetime import datetime, timezone

from flask import current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import RateLimitItemPerMinute
from werkzeug.exceptions import TooManyRequests

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


def runs_per_day():
    return f"{current_app.config['CHATRUN_RUNS_PER_DAY']}/day"


def auth_limit():
    return current_app.config["CHATRUN_AUTH_LIMIT"]


def default_limit():
    return current_app.config["CHATRUN_DEFAULT_LIMIT"]


def batch_items():
    """The items of a batch body; an oversized or malformed one counts as one run (it gets
    413/422)."""
    body = request.get_json(silent=True)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items or len(items) > current_app.config["CHATRUN_MAX_BATCH"]:
        return [None]
    return items


def batch_cost():
    """A batch costs one per item."""
    return len(batch_items())


# Limits come from config in init_app; the default key is the account when a token is valid.
limiter = Limiter(key_func=client_key, default_limits=[default_limit])


def init_app(app):
    limiter.init_app(app)
    app.after_request(limit_headers_on_refusals)


def limit_headers_on_refusals(response):
    """X-RateLimit-* and Retry-After on refused (429) answers. Flask-Limiter's own headers
    (RATELIMIT_HEADERS_ENABLED, off in config.py) go on every answer and read the window again
    after the hit: one more Redis round trip per request, about 7% of a stored run's CPU."""
    current = limiter.current_limit if response.status_code == 429 else None
    if current is None:
        return response
    reset_at = current.reset_at
    response.headers["X-RateLimit-Limit"] = str(current.limit.amount)
    response.headers["X-RateLimit-Remaining"] = str(current.remaining)
    response.headers["X-RateLimit-Reset"] = str(int(reset_at))
    if "Retry-After" not in response.headers:  # the minute check sets its own
        response.headers["Retry-After"] = str(_seconds_until(reset_at))
    return response


def _seconds_until(moment):
    """Whole seconds from now until `moment` (epoch seconds), rounded up, at least 1: Retry-After."""
    return max(1, int(moment - time.time() + 0.999))


def auth_ip_limit():
    """Register, login and account deletion share one budget per client IP (POSTs only)."""
    return limiter.shared_limit(auth_limit, scope="auth", key_func=ip_key, methods=["POST"])


def password_account_limit(key_func):
    """Failed password checks against one account, wherever they happen (API login and account
    deletion, dashboard sign-in and account deletion): one budget per account."""
    return limiter.shared_limit(password_limit, scope="password", key_func=key_func,
                                deduct_when=failed_password_check, methods=["POST"])


# A run's own timestamp is believed for the per-minute count when it lies in this window around
# now (clock skew ahead, a queue kept through a week offline behind); otherwise, or when it is
# missing or malformed, the run counts in the minute it arrives.
RUN_TIME_AHEAD = 5 * 60
RUN_TIME_BEHIND = 7 * 24 * 3600


def _minute_ran(item, now):
    stamp = item.get("timestamp") if isinstance(item, dict) else None
    try:
        ran = datetime.fromisoformat(stamp)
        if ran.tzinfo is None:
            ran = ran.replace(tzinfo=timezone.utc)  # naive = UTC, as the API reads it
        seconds = ran.timestamp()
    except (TypeError, ValueError, OverflowError):
        seconds = now
    if not now - RUN_TIME_BEHIND <= seconds <= now + RUN_TIME_AHEAD:
        seconds = now
    return int(seconds // 60)


def _charge_minutes_ran(items):
    """Count these runs against the minutes they ran, all or none. Returns a refund callable;
    raises 429 (nothing charged) when a minute would hold more than CHATRUN_RUNS_PER_MINUTE.

    One counter per account and minute-when-run, alive for a minute from its first run (a
    fixed window): a backlog made over an hour touches sixty counters and goes through at once;
    a client making runs faster than the limit fills the current minute's counter and waits
    for it. Each increment is atomic (Redis INCRBY), and an overflowing charge is taken back, so
    a counter never admits more than the limit, across workers and machines.
    """
    limit = RateLimitItemPerMinute(current_app.config["CHATRUN_RUNS_PER_MINUTE"])
    device = current_device()
    who = f"account:{device.account_id}" if device else ip_key()
    storage = limiter.storage
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    charged = []

    def refund():
        for key, count in charged:
            storage.incr(key, limit.get_expiry(), amount=-count)

    now = time.time()
    for minute, count in sorted(Counter(_minute_ran(item, now) for item in items).items()):
        key = limit.key_for(prefix, "runs-at", who, str(minute))
        charged.append((key, count))
        if storage.incr(key, limit.get_expiry(), amount=count) > limit.amount:
            retry_after = _seconds_until(storage.get_expiry(key))
            refund()
            raise TooManyRequests(f"{limit.amount} runs per minute in which they ran",
                                  retry_after=retry_after)
    return refund


def runs_budget(batch=False):
    """Decorator for the views that store runs (a `batch` body holds `items`). Per minute, runs
    are counted by when they ran (their timestamps): the limit is there to stop runaway
    clients, not to slow a backlog queued through an outage. Per day, by when they arrive, one
    budget for every route (Flask-Limiter's moving window: a refused request is not charged).
    The minute check comes first and is refunded when the day refuses, so neither budget is
    charged for a refused request."""
    per_day = limiter.shared_limit(runs_per_day, scope="runs", methods=["POST"],
                                   cost=batch_cost if batch else 1)

    def decorate(view):
        limited = per_day(view)

        @functools.wraps(limited)
        def checked(*args, **kwargs):
            if request.method != "POST":
                return limited(*args, **kwargs)
            refund = _charge_minutes_ran(batch_items() if batch else [request.get_json(silent=True)])
            try:
                return limited(*args, **kwargs)
            except RateLimitExceeded:
                refund()
                raise
        return checked
    return decorate
