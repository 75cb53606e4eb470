"""gunicorn settings, each overridable from the environment (see docs/api.md)."""
import multiprocessing
import os

bind = os.environ.get("CHATRUN_BIND", "127.0.0.1:8765")
# The app keeps no state in memory, so any number of workers (or machines) is correct.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))
threads = int(os.environ.get("CHATRUN_THREADS", 1))
timeout = int(os.environ.get("CHATRUN_TIMEOUT", 30))
graceful_timeout = 20
# No preload: each worker opens its own database pool after the fork.
preload_app = False
accesslog = os.environ.get("CHATRUN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("CHATRUN_LOG_LEVEL", "info")
# Behind a reverse proxy that terminates HTTPS (see docs/api.md); which proxies' X-Forwarded-*
# headers the app believes is CHATRUN_TRUSTED_PROXIES.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
