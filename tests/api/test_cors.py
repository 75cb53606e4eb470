"""CORS: only the extension's own origin may call the API from a browser."""
from companion_api.config import DEFAULT_EXTENSION_ORIGIN as EXTENSION


def preflight(client, origin):
    return client.options("/api/v1/executions", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})


def test_extension_origin_is_allowed(client, user):
    resp = preflight(client, EXTENSION)
    assert resp.status_code == 200
    assert resp.headers["Access-Control-Allow-Origin"] == EXTENSION
    assert "authorization" in resp.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in resp.headers
    actual = user.get("/api/v1/executions", headers={"Origin": EXTENSION})
    assert actual.headers["Access-Control-Allow-Origin"] == EXTENSION


def test_other_origins_get_no_cors_headers(client, user):
    for origin in ("https://chat.example", "chrome-extension://someotherextensionid", "null"):
        assert "Access-Control-Allow-Origin" not in preflight(client, origin).headers
        resp = user.get("/api/v1/executions", headers={"Origin": origin})
        assert "Access-Control-Allow-Origin" not in resp.headers


def test_origins_are_configurable(make_app):
    app = make_app(CHATRUN_EXTENSION_ORIGINS=["chrome-extension://abc"])
    resp = preflight(app.test_client(), "chrome-extension://abc")
    assert resp.headers["Access-Control-Allow-Origin"] == "chrome-extension://abc"
    assert "Access-Control-Allow-Origin" not in preflight(app.test_client(), EXTENSION).headers
