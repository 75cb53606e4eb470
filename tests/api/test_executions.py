"""Executions: the wire record, idempotent create, filters, cursors, get and delete."""
import hashlib
import uuid

import pytest

from companion_api.fingerprint import artifact_uuid

from .factories import PNG_1PX, iso, run, T0

WIRE_FIELDS = {"execution_id", "artifact_uuid", "message_uuid", "timestamp", "execution_time_ms",
               "status", "output", "code", "language", "title", "page", "truncated", "device"}


def test_create_returns_the_wire_record(user):
    body = run(message_uuid="msg-1", status="stopped", execution_time_ms=12.6)
    resp = user.post("/api/v1/executions", json=body)
    assert resp.status_code == 201
    rec = resp.json
    assert set(rec) == WIRE_FIELDS
    assert rec["execution_id"] == body["execution_id"]
    assert rec["status"] == "stopped" and rec["execution_time_ms"] == 13
    assert rec["timestamp"] == "2025-03-01T12:00:00+00:00"
    assert rec["output"] == [{"type": "stdout", "content": "hi",
                              "timestamp": "2025-03-01T12:00:00+00:00"}]
    assert rec["page"] == body["page"] and rec["message_uuid"] == "msg-1"
    # The device comes from the token.
    assert rec["device"] == {"id": user.device_id, "name": "Chromium on laptop"}


def test_artifact_uuid_is_uuid5_of_sha256_of_normalised_code(user):
    code = "<!-- executable: Demo -->\r\nprint(1)\r\nprint(2)\r"
    rec = user.store(code=code)
    digest = hashlib.sha256(b"print(1)\nprint(2)\n").hexdigest()
    assert rec["artifact_uuid"] == str(uuid.uuid5(uuid.NAMESPACE_URL, "sha256:" + digest))
    assert rec["code"] == code  # stored as sent


def test_client_artifact_uuid_must_match(user):
    good = run(code="x = 1")
    good["artifact_uuid"] = str(artifact_uuid("x = 1"))
    assert user.post("/api/v1/executions", json=good).status_code == 201
    bad = run(code="x = 1", artifact_uuid=str(uuid.uuid4()))
    resp = user.post("/api/v1/executions", json=bad)
    assert resp.status_code == 422
    assert "artifact_uuid" in resp.json["error"]["fields"]


def test_replay_returns_stored_record_and_never_duplicates(user):
    body = run()
    first = user.post("/api/v1/executions", json=body)
    replay = user.post("/api/v1/executions", json={**body, "status": "error"})
    assert (first.status_code, replay.status_code) == (201, 200)
    assert replay.json == first.json
    assert len(user.get("/api/v1/executions").json["items"]) == 1


def test_created_answer_is_the_stored_record(user):
    """The 201 is built from the INSERT's RETURNING, not read back: it must equal a GET (a time
    zone offset normalised to UTC, no page, the device)."""
    created = user.store(timestamp="2025-03-01T14:00:00+02:00", page=None)
    assert created["timestamp"].startswith("2025-03-01T12:00:00") and created["page"] is None
    assert user.get(f"/api/v1/executions/{created['execution_id']}").json == created


def test_same_execution_id_for_two_users_is_two_records(users):
    a, b = users.new(), users.new()
    body = run()
    assert a.post("/api/v1/executions", json=body).status_code == 201
    assert b.post("/api/v1/executions", json=body).status_code == 201


def test_device_is_never_taken_from_the_body(user):
    resp = user.post("/api/v1/executions", json=run(device={"id": str(uuid.uuid4())}))
    assert resp.status_code == 422
    assert resp.json["error"]["fields"] == {"device": ["Unknown field."]}


@pytest.mark.parametrize("change,field", [
    ({"execution_id": "not-a-uuid"}, "execution_id"),
    ({"timestamp": "yesterday"}, "timestamp"),
    ({"status": "crashed"}, "status"),
    ({"execution_time_ms": -1}, "execution_time_ms"),
    ({"execution_time_ms": "NaN"}, "execution_time_ms"),
    ({"language": "py thon"}, "language"),
    ({"output": [{"type": "video", "content": "x", "timestamp": "2025-01-01T00:00:00Z"}]},
     "output.0.type"),
    ({"output": [{"type": "figure", "content": "***", "timestamp": "2025-01-01T00:00:00Z"}]},
     "output.0.content"),
    ({"output": [{"type": "table", "content": "[1]", "timestamp": "2025-01-01T00:00:00Z"}]},
     "output.0.content"),
    ({"output": [{"type": "log", "content": "x"}]}, "output.0.timestamp"),
    ({"page": {"url": "javascript:alert(1)"}}, "page.url"),
    ({"page": {"colour": "red"}}, "page.colour"),
    ({"truncated": "maybe"}, "truncated"),
    ({"code": None}, "code"),
])
def test_bad_fields_are_422_naming_the_field(user, change, field):
    resp = user.post("/api/v1/executions", json=run(**change))
    assert resp.status_code == 422
    assert resp.json["error"]["code"] == "validation_error"
    assert field in resp.json["error"]["fields"]


def test_rich_outputs_are_kept(user):
    ts = iso(T0)
    output = [{"type": t, "content": "x", "timestamp": ts}
              for t in ("stdout", "stderr", "log", "info", "warn", "error", "debug", "return")]
    output += [{"type": "figure", "content": PNG_1PX, "timestamp": ts},
               {"type": "table", "content": '{"columns": ["a"], "rows": [[1]]}', "timestamp": ts}]
    rec = user.store(output=output)
    assert [o["type"] for o in rec["output"]] == [o["type"] for o in output]


def test_output_over_1mb_is_truncated_and_flagged(user):
    ts = iso(T0)
    output = [{"type": "stdout", "content": "a" * 700_000, "timestamp": ts},
              {"type": "figure", "content": PNG_1PX, "timestamp": ts},
              {"type": "stderr", "content": "é" * 400_000, "timestamp": ts},
              {"type": "stdout", "content": "never kept", "timestamp": ts}]
    rec = user.store(output=output)
    assert rec["truncated"] is True
    kept = rec["output"]
    assert [o["type"] for o in kept] == ["stdout", "figure", "stderr"]
    text_bytes = sum(len(o["content"].encode()) for o in kept if o["type"] != "figure")
    assert 1024 * 1024 - 2 <= text_bytes <= 1024 * 1024


def test_code_over_200kb_is_413_naming_code(user):
    resp = user.post("/api/v1/executions", json=run(code="x" * (200 * 1024 + 1)))
    assert resp.status_code == 413
    assert resp.json["error"]["fields"] == {"code": ["code is over 204800 bytes."]}


def test_figure_over_2mb_is_413_naming_it(user):
    big = "A" * (2 * 1024 * 1024 * 4 // 3 + 8)
    out = [{"type": "stdout", "content": "x", "timestamp": iso(T0)},
           {"type": "figure", "content": big, "timestamp": iso(T0)}]
    resp = user.post("/api/v1/executions", json=run(output=out))
    assert resp.status_code == 413
    assert list(resp.json["error"]["fields"]) == ["output.1.content"]


def test_get_and_delete_one(user):
    rec = user.store()
    url = f"/api/v1/executions/{rec['execution_id']}"
    assert user.get(url).json == rec
    assert user.delete(url).status_code == 204
    assert user.get(url).status_code == 404
    assert user.delete(url).status_code == 404


def test_other_users_runs_are_404(users):
    alice, mallory = users.new(), users.new()
    rec = alice.store()
    url = f"/api/v1/executions/{rec['execution_id']}"
    assert mallory.get(url).status_code == 404
    assert mallory.delete(url).status_code == 404
    assert mallory.post(f"{url}/shares").status_code == 404
    assert mallory.get("/api/v1/executions").json["items"] == []
    assert alice.get(url).status_code == 200


def test_delete_all_needs_confirmation(users):
    user, other = users.new(), users.new()
    for _ in range(3):
        user.store()
    other.store()
    resp = user.delete("/api/v1/executions")
    assert resp.status_code == 422 and "confirm" in resp.json["error"]["fields"]
    assert user.delete("/api/v1/executions?confirm=yes").status_code == 422
    resp = user.delete("/api/v1/executions?confirm=delete-all")
    assert resp.status_code == 200 and resp.json == {"deleted": 3}
    assert user.get("/api/v1/executions").json["items"] == []
    assert len(other.get("/api/v1/executions").json["items"]) == 1


@pytest.fixture
def history(users):
    """Two devices of one account with a spread of runs, plus a stranger's run."""
    laptop = users.new(email="h@example.com")
    desktop = users.login("h@example.com", device_name="Desktop")
    laptop.store(code="print('alpha')", minutes=0)
    laptop.store(code="console.log('beta')", language="javascript", status="error", minutes=1,
                 page={"site": "other.example"})
    desktop.store(code="print(100%)", minutes=2, status="timeout",
                  output=[{"type": "stderr", "content": "Needle_in_output", "timestamp": iso(T0)}])
    desktop.store(code="1 + 1", minutes=3, timestamp="2025-03-02T00:00:00Z")
    users.new().store(code="print('alpha')")
    return laptop, desktop


def _codes(resp):
    assert resp.status_code == 200, resp.json
    return [r["code"] for r in resp.json["items"]]


@pytest.mark.parametrize("query,expected", [
    ("", ["1 + 1", "print(100%)", "console.log('beta')", "print('alpha')"]),
    ("order=oldest", ["print('alpha')", "console.log('beta')", "print(100%)", "1 + 1"]),
    ("language=JavaScript", ["console.log('beta')"]),
    ("status=timeout", ["print(100%)"]),
    ("site=other.example", ["console.log('beta')"]),
    ("since=2025-03-01T12:01:00Z&until=2025-03-01T12:03:00Z",
     ["print(100%)", "console.log('beta')"]),
    ("since=2025-03-02T00:00:00", ["1 + 1"]),
    ("q=ALPHA", ["print('alpha')"]),
    ("q=needle_IN", ["print(100%)"]),
    ("q=%25", ["print(100%)"]),  # a literal %, not a wildcard
    ("q=_", ["print(100%)"]),
])
def test_list_filters(history, query, expected):
    laptop, _ = history
    assert _codes(laptop.get(f"/api/v1/executions?{query}")) == expected


def test_filter_by_device(history):
    laptop, desktop = history
    assert _codes(laptop.get(f"/api/v1/executions?device={desktop.device_id}")) == [
        "1 + 1", "print(100%)"]


@pytest.mark.parametrize("query,field", [
    ("status=nope", "status"), ("since=last-week", "since"), ("device=123", "device"),
    ("limit=0", "limit"), ("limit=201", "limit"), ("order=random", "order"),
    ("cursor=garbage", "cursor"), ("colour=red", "colour"),
])
def test_bad_list_queries_are_422(user, query, field):
    resp = user.get(f"/api/v1/executions?{query}")
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_cursor_pagination_visits_every_run_once(user, order):
    # Equal timestamps too: the id breaks ties so no run is skipped or repeated.
    ids = {user.store(minutes=i // 3)["execution_id"] for i in range(11)}
    seen, cursor, pages = [], None, 0
    while True:
        url = f"/api/v1/executions?limit=4&order={order}" + (f"&cursor={cursor}" if cursor else "")
        body = user.get(url).json
        seen += [r["execution_id"] for r in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 3 and len(seen) == 11 and set(seen) == ids
    stamps = [r for r in seen]
    assert len(set(stamps)) == 11


def test_nul_is_refused_in_fields_and_replaced_in_output(user):
    # PostgreSQL text cannot hold NUL; both databases answer the same way.
    resp = user.post("/api/v1/executions", json=run(code="a\x00b"))
    assert resp.status_code == 422 and "code" in resp.json["error"]["fields"]
    assert user.get("/api/v1/executions?q=%00").status_code == 422
    assert user.get("/api/chat/executions/a%00b").status_code == 404
    assert user.get("/api/v1/artifacts/a%00b").status_code == 404
    out = [{"type": "stdout", "content": "bytes\x00here", "timestamp": "2025-01-01T00:00:00Z"}]
    assert user.store(output=out)["output"][0]["content"] == "bytes\ufffdhere"
