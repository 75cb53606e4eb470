"""Real gunicorn processes on loopback for integration tests."""
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`gunicorn -c companion_api/gunicorn.conf.py companion_api.wsgi:app` with an env; or, given
    `python` and `cwd`, that interpreter's installed package (`-m gunicorn -c python:...`)."""

    def __init__(self, database_url, workers=2, redis_url=None, python=None, cwd=ROOT, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DATABASE_URL", "REDIS_URL")}
        self.env.update({
            "DATABASE_URL": database_url,
            "CHATRUN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "CHATRUN_ACCESS_LOG": "",
            "CHATRUN_LOG_LEVEL": "warning",
            "SECRET_KEY": "live-test",
            "CHATRUN_PUBLIC_URL": self.url,
            **{k: str(v) for k, v in env.items()},
        })
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        elif workers and workers > 1:
            # Several processes on SQLite without Redis: these tests are about processes (no
            # state in a worker, idempotency under races), not about exact limits.
            self.env.setdefault("CHATRUN_ALLOW_PER_PROCESS_LIMITS", "1")
        if workers is None:  # gunicorn_conf's own default
            del self.env["WEB_CONCURRENCY"]
        self.command = ([str(python), "-m", "gunicorn", "-c", "python:companion_api.gunicorn_conf"]
                        if python else [str(GUNICORN), "-c", "companion_api/gunicorn.conf.py"])
        self.command.append("companion_api.wsgi:app")
        self.cwd = cwd
        self.proc = None
        # gunicorn's own log (stderr), readable by tests through .log(); a file, never a pipe
        # that could fill up and block the server.
        self._log = tempfile.TemporaryFile()

    def log(self):
        """gunicorn's log so far (also after stop)."""
        if self._log.closed:
            return self._final_log
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def start(self, timeout=60, healthz=200):  # a loaded 2-core machine can take 20 s+
        """Start and wait until /healthz answers `healthz` (503 for a database left behind)."""
        if self._log.closed:  # started again after a stop (an outage in an e2e test)
            self._log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(self.command, cwd=self.cwd, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=self._log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log()[-2000:]}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=3).status_code == healthz:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not become healthy")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self._log.closed:
            self._final_log = self.log()
            self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def register(base_url, email, password="correct horse", device_name="Live device"):
    resp = requests.post(f"{base_url}/api/v1/auth/register", json={
        "email": email, "password": password, "device_name": device_name}, timeout=10)
    assert resp.status_code == 201, resp.text
    return {"Authorization": f"Bearer {resp.json()['token']}"}
