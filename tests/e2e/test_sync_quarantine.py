"""One run never holds up the sync queue (issue #9): a run printing a lone surrogate is stored
with U+FFFD like any other, and a run the server fails on is isolated and quarantined — shown in
the options page and the popup with the server's reason, Retry and Discard — while the runs
behind it arrive. Real Chromium with the extension, real gunicorn."""
from __future__ import annotations

import uuid

import pytest

from .browser import extension_url
from .companion import ApiClient, OptionsPage, QuarantineList, fix_api, start_api
from .pages import BlankPage
from .test_sync import PASSWORD, sign_up, wait_for


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    server = start_api(tmp_path_factory.mktemp("api"), workers=1)
    yield server
    server.stop()


_LOCAL_RUN = """
const [id, done] = [arguments[0], arguments[arguments.length - 1]];
const open = indexedDB.open('chatrun-runs');
open.onsuccess = () => {
  const get = open.result.transaction('history').objectStore('history').get(id);
  get.onsuccess = () => done(get.result || null);
};
"""


def local_run(browser, execution_id: str) -> dict | None:
    """This device's history record of a run (IndexedDB, read from the extension's own page)."""
    OptionsPage(browser).open()
    return browser.execute_async_script(_LOCAL_RUN, execution_id)


def test_a_lone_surrogate_run_then_twenty_others_all_arrive(browser, pages, api):
    email = sign_up(browser, api.url)
    page = BlankPage(browser, pages.url("pages/blank.html")).open()
    odd = page.add_block("javascript", "console.log('\\uD800')")
    assert odd.run() == "success"
    normal = page.add_block("javascript", "console.log('normal')")
    for _ in range(20):
        assert normal.run() == "success"
    client = ApiClient(api.url, email, PASSWORD)
    runs = wait_for(lambda: (lambda r: r if len(r) == 21 else None)(client.executions()), timeout=90)
    (stored,) = [r for r in runs if "uD800" in r["code"]]
    assert [o["content"] for o in client.execution(stored["execution_id"])["output"]] == ["\ufffd\n"]
    # The local copy holds the same text as the server's, and nothing waits or was set aside.
    local = local_run(browser, stored["execution_id"])
    assert local["output"][0]["content"] == "\ufffd\n" and local["artifact_uuid"] == stored["artifact_uuid"]
    status = OptionsPage(browser).open().status()
    assert status["queued"] == 0 and status["quarantined"] == 0


def test_a_run_the_server_fails_on_is_quarantined_and_can_be_retried_or_discarded(
        browser, pages, tmp_path_factory):
    marker = f"cannot-take-{uuid.uuid4().hex[:8]}"
    api = start_api(tmp_path_factory.mktemp("failing"), workers=1, failing_on=marker)
    try:
        email = sign_up(browser, api.url)
        page = BlankPage(browser, pages.url("pages/blank.html")).open()
        page.clear()
        bad = page.add_block("javascript", f"console.log('{marker}')")
        good = page.add_block("javascript", "console.log('fine')")
        assert bad.run() == "success" and bad.run() == "success"
        for _ in range(5):
            assert good.run() == "success"
        client = ApiClient(api.url, email, PASSWORD)
        wait_for(lambda: len(client.executions()) == 5, timeout=60)  # the others got through

        options = OptionsPage(browser).open()
        quarantine = QuarantineList(browser)
        first, second = quarantine.wait_items(2, timeout=90)
        assert quarantine.count() == "2"
        assert first["code"] == "internal_error" and "HTTP 500" in first["reason"], first
        assert "failed on this run 3 times" in first["reason"] and marker in first["description"]
        status = options.status()
        assert status["queued"] == 0 and status["quarantined"] == 2
        # Only a person's click acts: a script's click() is ignored.
        retry = quarantine.button(first["id"], "retry-run")
        assert retry.get_attribute("aria-label").startswith("Retry syncing: javascript")
        browser.execute_script("arguments[0].click();", retry)
        assert retry.is_enabled() and len(quarantine.items()) == 2

        browser.get(extension_url("popup/popup.html"))
        popup = QuarantineList(browser)
        assert [i["id"] for i in popup.wait_items(2, timeout=15)] == [first["id"], second["id"]]
        assert popup.items()[0]["reason"] == first["reason"]

        fix_api(api)
        options = OptionsPage(browser).open()
        quarantine.wait_items(2, timeout=15)
        quarantine.press(first["id"], "retry-run")
        wait_for(lambda: first["id"] in {r["execution_id"] for r in client.executions()}, timeout=60)
        assert [i["id"] for i in quarantine.wait_items(1, timeout=30)] == [second["id"]]
        quarantine.press(second["id"], "discard-run")
        quarantine.wait_items(0, timeout=30)
        status = options.status()
        assert status["queued"] == 0 and status["quarantined"] == 0
        assert second["id"] not in {r["execution_id"] for r in client.executions()}
        assert local_run(browser, second["id"])["code"] == f"console.log('{marker}')"  # kept locally
    finally:
        api.stop()
