"""gunicorn settings, each overridable from the environment (see docs/api.md).

Use it as `gunicorn -c python:companion_api.gunicorn_conf companion_api.wsgi:app` (installed
package) or `-c companion_api/gunicorn.conf.py` (a checkout).
"""
import json
import logging
import multiprocessing
import os
import re

import gunicorn.util
from gunicorn.glogging import Logger

from companion_api.errors import error_body

bind = os.environ.get("CHATRUN_BIND", "127.0.0.1:8765")
# Rate-limit counters are exact across processes only in shared storage (Redis). Without it
# each worker process would count alone (4 workers let 4x the login guesses through), so one
# process serves, with threads for concurrency. With Redis the app keeps no state in memory and
# any number of workers (or machines) is correct.
SHARED_LIMITS = bool(os.environ.get("REDIS_URL"))
workers = int(os.environ.get("WEB_CONCURRENCY",
                             min(multiprocessing.cpu_count() * 2 + 1, 8) if SHARED_LIMITS else 1))
threads = int(os.environ.get("CHATRUN_THREADS", 1 if SHARED_LIMITS else 8))
timeout = int(os.environ.get("CHATRUN_TIMEOUT", 30))
graceful_timeout = 20
# No preload: each worker opens its own database pool after the fork.
preload_app = False
accesslog = os.environ.get("CHATRUN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("CHATRUN_LOG_LEVEL", "info")
# Which peers gunicorn believes about the scheme (X-Forwarded-Proto and friends): none unless
# CHATRUN_TRUSTED_PROXIES says a proxy is in front (then the local one, 127.0.0.1), or
# FORWARDED_ALLOW_IPS names them. The app itself believes X-Forwarded-* only through
# CHATRUN_TRUSTED_PROXIES (werkzeug's ProxyFix).
_TRUSTED_PROXIES = int(os.environ.get("CHATRUN_TRUSTED_PROXIES", 0))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS",
                                     "127.0.0.1" if _TRUSTED_PROXIES else "")
# The longest request line gunicorn reads (method + URL + version); longer gets a 414. 8190 is
# gunicorn's maximum: list filters and cursors fit many times over, and an export of checked
# runs by id holds about 150 ids (more: use the filters, or several exports).
limit_request_line = 8190


_SHARE_TOKEN = re.compile(r"crs_[A-Za-z0-9_-]+")


class RedactingLogger(Logger):
    """gunicorn's logger with share-link tokens (in paths, query strings, referrers) redacted
    from access log lines: a log reader must not get working public links."""

    def atoms(self, resp, req, environ, request_time):
        return {key: _SHARE_TOKEN.sub("crs_[redacted]", value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}


logger_class = RedactingLogger


def _json_error(sock, status_int, reason, mesg):
    """gunicorn's own answers to requests it cannot parse (bad request line, URI too long,
    header fields too large), in the API's JSON error envelope instead of gunicorn's HTML."""
    body = json.dumps(error_body(status_int, f"{reason}: {mesg}" if mesg else reason)).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            "Content-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    gunicorn.util.write_nonblock(sock, head + body)


# Workers call gunicorn.util.write_error for these answers; they are forked from this process.
gunicorn.util.write_error = _json_error


def on_starting(server):
    """Refuse to start several worker processes whose rate limits would not add up."""
    if (server.cfg.workers > 1 and not SHARED_LIMITS
            and os.environ.get("CHATRUN_ALLOW_PER_PROCESS_LIMITS") != "1"):
        raise SystemExit(
            f"chatrun: refusing to start {server.cfg.workers} worker processes without REDIS_URL:"
            " rate-limit counters would be kept per process, so every limit (logins, password"
            " checks, runs) would let through that many times its value. Set REDIS_URL to share"
            " the counters, or serve with one process (unset WEB_CONCURRENCY; threads give the"
            " concurrency), or set CHATRUN_ALLOW_PER_PROCESS_LIMITS=1 to accept inexact limits.")


def when_ready(server):
    """Say once, at start, when the database is not at the schema this code needs."""
    from companion_api import create_app
    from companion_api.database import log_schema_state

    app = create_app()
    log_schema_state(app, logging.getLogger("gunicorn.error"))
