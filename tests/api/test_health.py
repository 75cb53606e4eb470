"""/healthz: database reachable and at the migrations' head, limiter storage reachable."""
import requests


def test_healthy(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json == {"status": "ok", "database": "ok", "schema": "ok", "limiter": "ok"}


def test_unreachable_limiter_storage_is_503(make_app):
    app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json == {"status": "unavailable", "database": "ok", "schema": "ok",
                         "limiter": "unreachable"}


def test_unreachable_database_is_503(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing-dir/x.db")
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json["database"] == "unreachable" and resp.json["schema"] == "unknown"


def test_an_unmigrated_database_is_503_and_said_once_at_start(empty_database, live_server):
    url, _schema = empty_database
    server = live_server(workers=1, database_url=url, healthz=503, CHATRUN_LOG_LEVEL="info")
    resp = requests.get(f"{server.url}/healthz", timeout=10)
    assert resp.status_code == 503
    assert resp.json() == {"status": "unavailable", "database": "ok", "schema": "behind",
                           "limiter": "ok"}
    lines = [line for line in server.log().splitlines() if "Database schema is at" in line]
    assert len(lines) == 1, server.log()
    assert "nothing (never migrated)" in lines[0] and "db upgrade" in lines[0]
