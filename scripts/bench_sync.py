"""Sync benchmark: time from a run's end (in the page) to its record being queryable from the
API, p50/p95, with the API up; and the time to drain a queue of 1,000 runs after an outage.

Run: scripts/bench sync   (after scripts/setup --browser)
"""
from __future__ import annotations

import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from scripts.bench_extension import report  # noqa: E402
from tests.e2e.browser import start_browser, stop_browser  # noqa: E402
from tests.e2e.companion import ApiClient, OptionsPage, start_api  # noqa: E402
from tests.e2e.pages import BlankPage  # noqa: E402
from tests.e2e.servers import PageServer  # noqa: E402

PASSWORD = "correct horse battery"
RUNS = 20
QUEUE = 1000

_END_TIME = """
const host = arguments[0];
window.__end = null;
new MutationObserver((_, obs) => {
  if (['success', 'error'].includes(host.dataset.state)) { obs.disconnect(); window.__end = performance.timeOrigin + performance.now(); }
}).observe(host, {attributes: true, attributeFilter: ['data-state']});
"""

_QUEUE_RUNS = """
const [count, done] = [arguments[0], arguments[arguments.length - 1]];
const record = () => ({ execution_id: crypto.randomUUID(), timestamp: new Date().toISOString(),
  execution_time_ms: 3, status: 'success', output: [{type: 'log', content: 'queued\\n', timestamp: new Date().toISOString()}],
  code: 'console.log("queued")', language: 'javascript', title: null, message_uuid: null,
  page: {url: 'https://bench.example/chat', site: 'bench.example', title: null}, truncated: false });
(async () => {
  for (let i = 0; i < count; i++) {
    await chrome.runtime.sendMessage({ target: 'background', type: 'record-run', record: record(),
      local: { site: 'bench.example', pageKey: 'https://bench.example/chat' } });
  }
  done(true);
})();
"""


def main():
    tmp = Path(tempfile.mkdtemp(prefix="chatrun-bench-sync-"))
    api = start_api(tmp, workers=2)
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
                while len(client.get("/api/v1/executions", limit=200)["items"]) < i + 1:
                    time.sleep(0.01)
                latencies.append((time.time() - ended) * 1000)

            api.stop()
            options = OptionsPage(driver).open()
            driver.set_script_timeout(600)
            driver.execute_async_script(_QUEUE_RUNS, QUEUE)
            queued = options.status()["queued"]
            api.start()
            started = time.monotonic()
            options.sync_now()
            while len(client.executions(site="bench.example")) < QUEUE:
                time.sleep(0.05)
            drained = time.monotonic() - started
        finally:
            stop_browser(driver, profile)
            api.stop()
    print("Chatrun sync benchmark (gunicorn, 2 workers, SQLite; headless Chromium)")
    report("run end -> queryable from the API", latencies)
    print(f"  {'drain a queue of ' + str(queued) + ' runs after an outage':<44} {drained * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
