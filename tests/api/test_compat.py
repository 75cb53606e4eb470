"""The design's two endpoints, same Bearer auth, client's artifact_uuid kept."""
from .factories import run


def design_record(**overrides):
    """The execution result structure exactly as the design writes it (no code, no page)."""
    body = run(message_uuid="message-42", artifact_uuid="artifact-from-chat-app")
    for key in ("code", "title", "page", "truncated"):
        body.pop(key)
    body.update(overrides)
    return body


def test_save_and_read_a_messages_history(user):
    first = design_record(timestamp="2025-03-01T12:00:00Z")
    second = design_record(timestamp="2025-03-01T12:05:00Z", status="error")
    assert user.post("/api/chat/executions", json=second).status_code == 201
    resp = user.post("/api/chat/executions", json=first)
    assert resp.status_code == 201
    assert resp.json["artifact_uuid"] == "artifact-from-chat-app"
    user.store(message_uuid="another-message")
    history = user.get("/api/chat/executions/message-42")
    assert history.status_code == 200
    assert [r["execution_id"] for r in history.json] == [
        first["execution_id"], second["execution_id"]]
    # The v1 API sees the same runs.
    v1 = user.get(f"/api/v1/executions/{first['execution_id']}").json
    assert v1["artifact_uuid"] == "artifact-from-chat-app"


def test_replay_is_idempotent(user):
    body = design_record()
    assert user.post("/api/chat/executions", json=body).status_code == 201
    again = user.post("/api/chat/executions", json=body)
    assert again.status_code == 200
    assert len(user.get("/api/chat/executions/message-42").json) == 1


def test_needs_bearer_and_message_uuid(client, user):
    assert client.post("/api/chat/executions", json=design_record()).status_code == 401
    assert client.get("/api/chat/executions/message-42").status_code == 401
    resp = user.post("/api/chat/executions", json=design_record(message_uuid=None))
    assert resp.status_code == 422 and "message_uuid" in resp.json["error"]["fields"]


def test_history_is_per_user(users):
    alice, mallory = users.new(), users.new()
    alice.post("/api/chat/executions", json=design_record())
    assert mallory.get("/api/chat/executions/message-42").json == []
