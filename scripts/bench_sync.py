"""Sync benchmark: time from a run's end (in the page) to its record being queryable from the
API, p50/p95, with the API up; and the time to drain a queue of 1,000 runs after an outage.

The outage: the API stops, 1,000 runs made over the last `--outage-minutes` (their timestamps
spread over it, as a person's runs would be) wait in the extension's queue, the API comes back
and the user presses Sync now. The server runs with its default run limits (printed) and counts
them in Redis shared by its workers (or in one worker process without Redis), so the result
never depends on which worker took a request.

Run: scripts/bench sync [--outage-minutes 120] [--workers 2] [--redis-url URL]
     (after scripts/setup --browser)
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from scripts.bench_api import DEFAULT_REDIS, LimitStorage  # noqa: E402
from scripts.bench_extension import report  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.companion import ApiClient, OptionsPage, start_api  # noqa: E402
from tests.e2e.pages import BlankPage  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

PASSWORD = "correct horse battery"
RUNS = 20
QUEUE = 1000
# The server's run limits (its defaults, docs/api.md); other routes are not what is measured, and
# the bench's own polling must not spend their budget.
LIMITS = {"CHATRUN_RUNS_PER_MINUTE": 600, "CHATRUN_RUNS_PER_DAY": 20000,
          "CHATRUN_DEFAULT_LIMIT": "100000/minute"}

_END_TIME = """
const host = arguments[0];
window.__end = null;
new MutationObserver((_, obs) => {
  if (['success', 'error'].includes(host.dataset.state)) { obs.disconnect(); window.__end = performance.timeOrigin + performance.now(); }
}).observe(host, {attributes: true, attributeFilter: ['data-state']});
"""

# Runs made while the API was down, written into the extension's queue (IndexedDB, from its own
# options page) exactly as the service worker keeps them: record-run takes content scripts only.
_QUEUE_RUNS = """
const [count, owner, spanMs, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
const open = indexedDB.open('chatrun-runs');
open.onerror = () => done(String(open.error));
open.onsuccess = () => {
  const tx = open.result.transaction('queue', 'readwrite');
  const start = Date.now() - spanMs;
  for (let i = 0; i < count; i++) {
    const ran = new Date(start + (i * spanMs) / count).toISOString();
    tx.objectStore('queue').put({ execution_id: crypto.randomUUID(), timestamp: ran, execution_time_ms: 3,
      status: 'success', output: [{ type: 'log', content: `queued ${i}\\n`, timestamp: ran }],
      code: `console.log("queued ${i}")`, language: 'javascript', title: null, message_uuid: null,
      page: { url: 'https://bench.example/chat', site: 'bench.example', title: null }, truncated: false,
      owner, queued_at: start + i });
  }
  tx.oncomplete = () => done(true);
  tx.onerror = () => done(String(tx.error));
};
"""


def batch_answers(log_path: Path) -> Counter:
    """Status codes of the batch uploads, from gunicorn's access log."""
    text = log_path.read_text() if log_path.exists() else ""
    return Counter(re.findall(r'"POST /api/v1/executions/batch HTTP/1\.1" (\d{3})', text))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage-minutes", type=float, default=120,
                        help="the queued runs' timestamps spread over this many minutes")
    parser.add_argument("--workers", type=int, default=2, help="with Redis; without it, 1")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or DEFAULT_REDIS,
                        help="rate-limit counters shared by the workers ('' = one worker)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="chatrun-bench-sync-"))
    limits = LimitStorage(args.redis_url, args.workers)
    access_log = tmp / "access.log"
    api = start_api(tmp, workers=limits.workers, redis_url=limits.url,
                    CHATRUN_RATELIMIT_PREFIX=limits.prefix, CHATRUN_ACCESS_LOG=access_log, **LIMITS)
    print("Chatrun sync benchmark (gunicorn on SQLite; headless Chromium)")
    print(f"  server: {limits.describe()}")
    print(f"  limits: {LIMITS['CHATRUN_RUNS_PER_MINUTE']} runs/minute and "
          f"{LIMITS['CHATRUN_RUNS_PER_DAY']} runs/day per account (docs/api.md, \"Rate limits\"); "
          f"other routes {LIMITS['CHATRUN_DEFAULT_LIMIT']}", flush=True)
    try:
        with PageServer(REPO / "tests" / "fixtures") as pages:
            driver, profile = start_browser()
            try:
                email = f"bench-{uuid.uuid4().hex[:8]}@example.test"
                OptionsPage(driver).open().sign_in(api.url, email, PASSWORD, register=True)
                client = ApiClient(api.url, email, PASSWORD)
                page = BlankPage(driver, pages.url("pages/blank.html")).open()
                panel = page.add_block("javascript", "console.log('synced')")
                latencies = []
                driver.set_script_timeout(60)
                for i in range(RUNS):
                    driver.execute_script(_END_TIME, panel.host)
                    panel.click("run")
                    while not driver.execute_script("return window.__end"):
                        time.sleep(0.005)
                    ended = driver.execute_script("return window.__end") / 1000
                    while stored(client) < i + 1:
                        time.sleep(0.01)
                    latencies.append((time.time() - ended) * 1000)

                api.stop()
                options = OptionsPage(driver).open()
                owner = f"{api.url}|{email}"
                written = driver.execute_async_script(_QUEUE_RUNS, QUEUE, owner, args.outage_minutes * 60_000)
                assert written is True, written
                options.sync_now()  # the API is down: this fails and the engine backs off
                queued = wait_for(lambda: options.status()["queued"] >= QUEUE and options.status()["queued"])
                before = batch_answers(access_log)
                api.start()
                started = time.monotonic()  # the API answers again
                options.sync_now()
                while stored(client) < RUNS + QUEUE:
                    time.sleep(0.05)
                drained = time.monotonic() - started
            finally:
                stop_browser(driver, profile)
    finally:
        api.stop()
        limits.close()
    answers = batch_answers(access_log) - before
    report("run end -> queryable from the API", latencies)
    print(f"  {'drain a queue of ' + str(queued) + ' runs after an outage':<44} {drained * 1000:8.0f} ms"
          f"  (from the API's return, Sync now pressed then; runs made over {args.outage_minutes:g} min; batch answers "
          + ", ".join(f"{code}: {n}" for code, n in sorted(answers.items())) + ")")


def stored(client: ApiClient) -> int:
    """How many runs the account holds (one cheap request)."""
    return client.get("/api/v1/account")["execution_count"]


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


if __name__ == "__main__":
    main()
