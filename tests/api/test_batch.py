"""Batches: accepted per item, replays never duplicate, even when they race."""
import threading
import uuid

import requests
from sqlalchemy import func, select

from companion_api.extensions import db
from companion_api.models import Execution
from companion_api.services import rollups

from .factories import run
from .live import register


def test_batch_results_are_per_item(user):
    stored = user.store()
    dup_in_batch = run()
    items = [run(), {**run(), "status": "bogus"}, stored_body(stored), dup_in_batch,
             dup_in_batch, "not an object", run(code="y" * (200 * 1024 + 1))]
    resp = user.post("/api/v1/executions/batch", json={"items": items})
    assert resp.status_code == 200
    body = resp.json
    assert [r["result"] for r in body["results"]] == [
        "created", "rejected", "duplicate", "created", "duplicate", "rejected", "rejected"]
    assert [r["index"] for r in body["results"]] == list(range(7))
    assert (body["created"], body["duplicate"], body["rejected"]) == (2, 2, 3)
    bad = body["results"][1]
    assert bad["execution_id"] == items[1]["execution_id"] and "status" in bad["fields"]
    assert body["results"][5]["execution_id"] is None
    assert "code" in body["results"][6]["fields"]
    assert len(user.get("/api/v1/executions").json["items"]) == 3


def stored_body(record):
    """A wire record read back, made into a create body again (a client replaying it)."""
    body = {k: v for k, v in record.items() if k != "device"}
    return body


def test_replayed_batch_creates_nothing(user):
    items = [run() for _ in range(5)]
    first = user.post("/api/v1/executions/batch", json={"items": items}).json
    again = user.post("/api/v1/executions/batch", json={"items": items}).json
    assert first["created"] == 5 and again["duplicate"] == 5 and again["created"] == 0


def test_batch_of_500_is_accepted_and_501_is_413(user):
    ok = user.post("/api/v1/executions/batch", json={"items": [run() for _ in range(500)]})
    assert ok.status_code == 200 and ok.json["created"] == 500
    too_many = user.post("/api/v1/executions/batch", json={"items": [run()] * 501})
    assert too_many.status_code == 413
    assert list(too_many.json["error"]["fields"]) == ["items"]


def test_empty_or_malformed_batch_is_422(user):
    for body in ({"items": []}, {"items": {}}, {}, {"items": [run()], "extra": 1}):
        resp = user.post("/api/v1/executions/batch", json=body)
        assert resp.status_code == 422, body


def test_concurrent_duplicate_batches_store_each_run_once(live_server, app):
    """Eight clients send the same 50 runs at once to 4 gunicorn workers."""
    server = live_server(workers=4)
    headers = register(server.url, "race@example.com")
    items = [run() for _ in range(50)]
    results, barrier = [], threading.Barrier(8)

    def send():
        barrier.wait()
        resp = requests.post(f"{server.url}/api/v1/executions/batch", json={"items": items},
                             headers=headers, timeout=60)
        results.append(resp)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.status_code == 200 for r in results), [r.text for r in results]
    assert sum(r.json()["created"] for r in results) == 50
    assert sum(r.json()["duplicate"] for r in results) == 50 * 7
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Execution)) == 50
        ids = set(db.session.scalars(select(Execution.execution_id)))
    assert ids == {uuid.UUID(i["execution_id"]) for i in items}


def test_single_writes_and_batches_of_one_account_at_once_neither_fail_nor_miscount(
        live_server, app):
    """Single writes (on PostgreSQL one statement with their counter upserts) and batches (the
    counters after the rows) of one account on the same few days, at once, through 4 workers:
    they lock counter rows in one order, so none deadlocks, and the counters equal a recount."""
    server = live_server(workers=4)
    headers = register(server.url, "together@example.com")
    failures, barrier = [], threading.Barrier(6)

    def on_day(i):
        return run(minutes=(i % 8) * 1440 + i % 60, execution_time_ms=(5, 50, 500)[i % 3])

    def singles(offset):
        barrier.wait()
        with requests.Session() as session:
            for i in range(offset, offset + 25):
                resp = session.post(f"{server.url}/api/v1/executions", json=on_day(i),
                                    headers=headers, timeout=60)
                if resp.status_code != 201:
                    failures.append(resp.text)

    def batches(offset):
        barrier.wait()
        with requests.Session() as session:
            for b in range(5):
                items = [on_day(offset + b * 20 + i) for i in range(20)]
                resp = session.post(f"{server.url}/api/v1/executions/batch",
                                    json={"items": items}, headers=headers, timeout=60)
                if resp.status_code != 200 or resp.json()["created"] != 20:
                    failures.append(resp.text)

    threads = ([threading.Thread(target=singles, args=(k * 100,)) for k in range(4)]
               + [threading.Thread(target=batches, args=(1000 + k * 100,)) for k in range(2)])
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Execution)) == 4 * 25 + 2 * 100
        account_id = db.session.scalar(select(Execution.account_id).limit(1))
        assert rollups.stored(account_id) == rollups.recount(account_id)
        assert rollups.stored_blocks(account_id) == rollups.blocks_of(rollups.recount(account_id))
        assert rollups.stored_sites(account_id) == rollups.recount_sites(account_id)
