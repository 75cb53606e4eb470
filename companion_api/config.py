"""Settings read from environment variables, each with a default that works on one laptop."""
import os
import secrets
from pathlib import Path

DEFAULT_EXTENSION_ORIGIN = "chrome-extension://fanaeolckhdhamfandbdgolgefddmaea"


def _int(name, default):
    return int(os.environ.get(name, default))


def database_url(instance_path):
    """Return the SQLAlchemy URL, normalising the `postgres://` spellings hosts hand out."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'chatrun.db'}"
    # psycopg 3 is the installed driver; bare postgres URLs would pick psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def secret_key(instance_path):
    """Use SECRET_KEY, else one persisted in the instance folder so every worker shares it."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    try:
        # O_EXCL: when several workers start at once, exactly one writes the key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    except FileExistsError:
        pass
    return path.read_text().strip() or secrets.token_hex(32)


def from_env(instance_path):
    """Build the config mapping create_app starts from."""
    origins = os.environ.get("CHATRUN_EXTENSION_ORIGINS", DEFAULT_EXTENSION_ORIGIN)
    return {
        "SECRET_KEY": secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # A pooled connection idle this long is pinged before use (database.py); one in use a
        # moment ago is not, which saves a round trip per request under load.
        "CHATRUN_DB_PING_IDLE_SECONDS": float(os.environ.get("CHATRUN_DB_PING_IDLE_SECONDS", 1)),
        # Limits: memory:// keeps counters per process; Redis makes them exact across processes.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        # Moving window refuses a batch that would overflow without consuming it (fixed window
        # would charge the refused cost and lock the account out for the rest of the window).
        "RATELIMIT_STRATEGY": "moving-window",
        # Limit headers on 429 answers only (ratelimits.limit_headers_on_refusals).
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_KEY_PREFIX": os.environ.get("CHATRUN_RATELIMIT_PREFIX", "chatrun"),
        # Runs per account: per minute in which they ran, per day of arrival (ratelimits.py).
        "CHATRUN_RUNS_PER_MINUTE": _int("CHATRUN_RUNS_PER_MINUTE", 600),
        "CHATRUN_RUNS_PER_DAY": _int("CHATRUN_RUNS_PER_DAY", 20000),
        "CHATRUN_AUTH_LIMIT": os.environ.get("CHATRUN_AUTH_LIMIT", "10/minute;100/hour"),
        "CHATRUN_PASSWORD_LIMIT": os.environ.get("CHATRUN_PASSWORD_LIMIT", "5/minute;20/hour"),
        "CHATRUN_DEFAULT_LIMIT": os.environ.get("CHATRUN_DEFAULT_LIMIT", "1200/minute"),
        "CHATRUN_EXTENSION_ORIGINS": [o.strip() for o in origins.split(",") if o.strip()],
        # Where people reach this service: the base of share links (never the Host header).
        "CHATRUN_PUBLIC_URL": os.environ.get("CHATRUN_PUBLIC_URL", "http://127.0.0.1:8765"),
        # Number of reverse proxies in front (X-Forwarded-*); 0 trusts no forwarded header.
        "CHATRUN_TRUSTED_PROXIES": _int("CHATRUN_TRUSTED_PROXIES", 0),
        "MAX_CONTENT_LENGTH": _int("CHATRUN_MAX_BODY_MB", 64) * 1024 * 1024,
        "CHATRUN_PASSWORD_PROFILE": "default",
        # Payload bounds from the issue: output is truncated, the rest are refused with 413.
        "CHATRUN_MAX_OUTPUT_BYTES": 1024 * 1024,
        "CHATRUN_MAX_CODE_BYTES": 200 * 1024,
        "CHATRUN_MAX_FIGURE_BYTES": 2 * 1024 * 1024,
        # All of one run's figures together; past it figures are dropped and the run flagged.
        "CHATRUN_MAX_RUN_FIGURE_BYTES": 8 * 1024 * 1024,
        "CHATRUN_MAX_BATCH": 500,
        "CHATRUN_MAX_EXPORT": 1000,
        # Output bytes one export holds (whole runs): bounds a worker's memory per export.
        "CHATRUN_MAX_EXPORT_BYTES": 32 * 1024 * 1024,
        # flask-smorest / OpenAPI
        "API_TITLE": "Chatrun companion API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
            },
            "security": [{"bearerAuth": []}],
        },
        "JSON_SORT_KEYS": False,
    }
