"""/healthz: database and limiter storage reachable."""


def test_healthy(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json == {"status": "ok", "database": "ok", "limiter": "ok"}


def test_unreachable_limiter_storage_is_503(make_app):
    app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json == {"status": "unavailable", "database": "ok", "limiter": "unreachable"}


def test_unreachable_database_is_503(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing-dir/x.db")
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json["database"] == "unreachable"
