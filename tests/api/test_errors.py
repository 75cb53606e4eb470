"""Every error is {"error": {"code", "message", "fields"?}}, including 404, 405 and 500."""
import pytest

from companion_api.errors import ErrorSchema

from .factories import run


def assert_error(resp, status, code):
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    assert ErrorSchema().validate(resp.json) == {}
    assert set(resp.json) == {"error"}
    assert resp.json["error"]["code"] == code
    assert resp.json["error"]["message"]
    return resp.json["error"]


def test_404_unknown_route(client):
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")


def test_405_wrong_method_keeps_allow_header(client):
    resp = client.put("/api/v1/executions")
    assert_error(resp, 405, "method_not_allowed")
    assert "GET" in resp.headers["Allow"] and "POST" in resp.headers["Allow"]


def test_500_is_json_and_hides_the_exception(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", view_func=boom)
    err = assert_error(app.test_client().get("/boom"), 500, "internal_error")
    assert "secret" not in err["message"]


def test_401(client):
    assert_error(client.get("/api/v1/stats"), 401, "unauthorized")


def test_malformed_json_is_400(user):
    resp = user.post("/api/v1/executions", data='{"execution_id": ',
                     headers={"Content-Type": "application/json"})
    assert_error(resp, 400, "bad_request")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_wrong_content_type_is_400(user, content_type):
    resp = user.post("/api/v1/executions", data="a=1", headers={"Content-Type": content_type})
    assert_error(resp, 400, "bad_content_type")


@pytest.mark.parametrize("body", [[], "text", 3, None])
def test_non_object_json_is_422(user, body):
    resp = user.post("/api/v1/executions", json=body)
    assert resp.status_code in (400, 422)
    assert_error(resp, resp.status_code, resp.json["error"]["code"])


def test_validation_error_lists_dotted_fields(user):
    body = run(output=[{"type": "stdout", "content": 5, "timestamp": "x"}])
    err = assert_error(user.post("/api/v1/executions", json=body), 422, "validation_error")
    assert set(err["fields"]) == {"output.0.content", "output.0.timestamp"}


def test_body_over_the_request_limit_is_413(make_app, users):
    app = make_app(MAX_CONTENT_LENGTH=1024)
    client = app.test_client()
    token = client.post("/api/v1/auth/register", json={
        "email": "big@example.com", "password": "correct horse", "device_name": "x"}).json["token"]
    resp = client.post("/api/v1/executions", json=run(code="x" * 2000),
                       headers={"Authorization": f"Bearer {token}"})
    assert_error(resp, 413, "payload_too_large")


def test_bad_uuid_in_path_is_404(user):
    assert_error(user.get("/api/v1/executions/12345"), 404, "not_found")


def test_every_api_response_says_nosniff(user, client):
    for resp in (user.get("/api/v1/executions"), client.get("/api/v1/executions"),
                 client.get("/api/v1/nothing-here"), user.post("/api/v1/executions", json={}),
                 client.get("/api/openapi.json"), client.get("/healthz")):
        assert resp.headers["X-Content-Type-Options"] == "nosniff", resp.status
