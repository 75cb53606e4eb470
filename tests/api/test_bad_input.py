"""Input that used to crash a request: lone surrogates, deep nesting, huge numbers. Every one is
a 4xx JSON error or is stored (surrogates as U+FFFD), never a 500, and in a batch one bad item
never stops the others."""
import base64
import hashlib
import json
import uuid

import pytest

from companion_api.services.output import figure_bytes

from .factories import PNG_1PX, iso, run, T0
from .test_errors import assert_error

DEEP = "[" * 5000 + "]" * 5000
TS = iso(T0)


def send(user, path, body_text):
    """POST raw JSON text (json.dumps escapes a lone surrogate as \\udXXX, as browsers do)."""
    return user.post(path, data=body_text, headers={"Content-Type": "application/json"})


def table(doc):
    return {"type": "table", "content": doc if isinstance(doc, str) else json.dumps(doc),
            "timestamp": TS}


def test_lone_surrogates_are_stored_as_replacement_characters(user):
    body = run(code="console.log('\ud800')", title="t\udc00",
               output=[{"type": "log", "content": "\ud800", "timestamp": TS}])
    resp = send(user, "/api/v1/executions", json.dumps(body))
    assert resp.status_code == 201, resp.json
    rec = resp.json
    assert rec["code"] == "console.log('\ufffd')" and rec["title"] == "t\ufffd"
    assert rec["output"][0]["content"] == "\ufffd"
    # The fingerprint hashes what a browser's TextEncoder makes of the code: U+FFFD.
    digest = hashlib.sha256("console.log('\ufffd')".encode()).hexdigest()
    assert rec["artifact_uuid"] == str(uuid.uuid5(uuid.NAMESPACE_URL, "sha256:" + digest))
    # Valid pairs, escaped or not, are characters and stay as they are.
    pair = send(user, "/api/v1/executions", json.dumps(run(code="'\U0001F600'")))
    assert pair.json["code"] == "'\U0001F600'"


def test_a_surrogate_run_then_twenty_normal_runs_all_arrive(user):
    """The server side of the issue's e2e case: one run printing '\\uD800' never stalls sync."""
    items = [run(output=[{"type": "log", "content": "\ud800", "timestamp": TS}])]
    items += [run(minutes=i) for i in range(1, 21)]
    resp = send(user, "/api/v1/executions/batch", json.dumps({"items": items}))
    assert resp.status_code == 200
    assert resp.json["created"] == 21 and resp.json["rejected"] == 0
    assert len(user.get("/api/v1/executions?limit=200").json["items"]) == 21


def test_an_escaped_backslash_before_u_is_text_not_a_surrogate(user):
    rec = send(user, "/api/v1/executions", json.dumps(run(code="'\\ud800'"))).json
    assert rec["code"] == "'\\ud800'"


@pytest.mark.parametrize("content", [
    '{"columns": [], "rows": ' + DEEP + "}",
    json.dumps({"columns": ["a"], "rows": [[{"nested": [1]}]]}),
    json.dumps({"columns": [["a"]], "rows": []}),
    json.dumps({"columns": ["a"], "rows": [], "index": {"x": 1}}),
    json.dumps({"columns": ["a"], "rows": [], "shape": [[1]]}),
    '{"columns": ["a"], "rows": [[' + "9" * 5000 + "]]}",
])
def test_malformed_table_shapes_are_refused_when_stored(user, content):
    resp = user.post("/api/v1/executions", json=run(output=[table(content)]))
    err = assert_error(resp, 422, "validation_error")
    assert list(err["fields"]) == ["output.0.content"]


def test_panel_tables_are_accepted(user):
    doc = {"kind": "dataframe", "columns": ["a", "b"], "rows": [["1", None], {"a": 2}, 3],
           "index": [0, 1, 2], "truncated": False, "shape": [3, 2], "name": None}
    assert user.post("/api/v1/executions", json=run(output=[table(doc)])).status_code == 201


def test_figures_must_be_png(user):
    not_png = base64.b64encode(b"GIF89a....").decode()
    resp = user.post("/api/v1/executions",
                     json=run(output=[{"type": "figure", "content": not_png, "timestamp": TS}]))
    assert list(assert_error(resp, 422, "validation_error")["fields"]) == ["output.0.content"]


def test_figures_past_the_run_budget_are_dropped_and_the_run_flagged(make_app):
    from .conftest import Users

    app = make_app(CHATRUN_MAX_RUN_FIGURE_BYTES=2 * figure_bytes(PNG_1PX))
    user = Users(app.test_client()).new()
    figure = {"type": "figure", "content": PNG_1PX, "timestamp": TS}
    rec = user.store(output=[figure, figure, {"type": "stdout", "content": "x",
                                              "timestamp": TS}, figure])
    assert [o["type"] for o in rec["output"]] == ["figure", "figure", "stdout"]
    assert rec["truncated"] is True


def test_one_bad_item_is_rejected_with_a_code_and_the_rest_are_stored(user):
    items = [run(), run(output=[table('{"columns": [], "rows": ' + DEEP + "}")]),
             run(execution_time_ms=10**400), run(code="y" * (200 * 1024 + 1)), run()]
    resp = send(user, "/api/v1/executions/batch", json.dumps({"items": items}))
    assert resp.status_code == 200
    results = resp.json["results"]
    assert [r["result"] for r in results] == ["created", "rejected", "rejected", "rejected",
                                              "created"]
    assert [r.get("code") for r in results] == [
        None, "validation_error", "validation_error", "payload_too_large", None]
    assert all(r["reason"] for r in results if r["result"] == "rejected")
    assert results[1]["fields"] == {"output.0.content": results[1]["fields"]["output.0.content"]}
    assert results[2]["execution_id"] == items[2]["execution_id"]


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/register",
                                  "/api/v1/executions", "/api/v1/executions/batch",
                                  "/api/chat/executions"])
@pytest.mark.parametrize("body", ['{"email": ' + DEEP + "}", DEEP, "1" * 5000])
def test_unparseable_bodies_are_400(user, path, body):
    assert_error(send(user, path, body), 400, "bad_request")


def test_a_surrogate_in_credentials_is_a_replacement_character(client):
    creds = json.dumps({"email": "s@example.com", "password": "pass\ud800word",
                        "device_name": "x\udfff"})
    resp = client.post("/api/v1/auth/register", data=creds, content_type="application/json")
    assert resp.status_code == 201 and resp.json["device"]["name"] == "x\ufffd"
    # The same password, sent the same way, logs in: both sides saw U+FFFD.
    again = client.post("/api/v1/auth/login", data=creds, content_type="application/json")
    assert again.status_code == 201
    bad_email = json.dumps({"email": "s\ud800@example.com", "password": "password",
                            "device_name": "x"})
    resp = client.post("/api/v1/auth/register", data=bad_email, content_type="application/json")
    assert resp.status_code == 422


def _cursor(raw):
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("path", ["/api/v1/executions", "/api/v1/artifacts"])
@pytest.mark.parametrize("raw", ['["2025-01-01T00:00:00", Infinity]', '[Infinity, 1]',
                                 '["2025-01-01T00:00:00", 1e30]', '[1, "x"]',
                                 '["2025-01-01T00:00:00", ' + str(10**30) + "]",
                                 '["2025-01-01T00:00:00", true]', '["2025-01-01T00:00:00", -1]',
                                 '["\\ud800", 1]', DEEP])
def test_forged_cursors_are_422(user, path, raw):
    err = assert_error(user.get(f"{path}?cursor={_cursor(raw)}"), 422, "validation_error")
    assert list(err["fields"]) == ["cursor"]


@pytest.mark.parametrize("kind", [RecursionError, OverflowError, UnicodeEncodeError])
def test_crashes_of_these_kinds_anywhere_are_400(make_app, kind):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom():
        if kind is UnicodeEncodeError:
            "\ud800".encode("utf-8")
        raise kind("deep inside")

    app.add_url_rule("/api/v1/boom", view_func=boom)
    err = assert_error(app.test_client().get("/api/v1/boom"), 400, "bad_request")
    assert kind.__name__ in err["message"] and "deep inside" not in err["message"]


def test_on_dashboard_pages_the_same_crashes_are_an_html_400(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RecursionError("deep inside")

    app.add_url_rule("/boom-page", endpoint="dashboard.boom", view_func=boom)
    resp = app.test_client().get("/boom-page", headers={"Accept": "text/html"})
    assert resp.status_code == 400 and resp.mimetype == "text/html"
    assert "deep inside" not in resp.get_data(as_text=True)
