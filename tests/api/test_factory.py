"""Configuration defaults come from the environment and work with nothing set."""
from companion_api import config, create_app


def test_defaults_without_environment(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "REDIS_URL", "CHATRUN_EXTENSION_ORIGINS", "SECRET_KEY",
                 "CHATRUN_RUNS_PER_MINUTE", "CHATRUN_RUNS_PER_DAY"):
        monkeypatch.delenv(name, raising=False)
    cfg = config.from_env(tmp_path)
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'chatrun.db'}"
    assert cfg["RATELIMIT_STORAGE_URI"] == "memory://"
    assert (cfg["CHATRUN_RUNS_PER_MINUTE"], cfg["CHATRUN_RUNS_PER_DAY"]) == (600, 20000)
    assert cfg["CHATRUN_EXTENSION_ORIGINS"] == [
        "chrome-extension://fanaeolckhdhamfandbdgolgefddmaea"]
    # The generated secret is persisted so every worker shares it.
    assert cfg["SECRET_KEY"] == config.from_env(tmp_path)["SECRET_KEY"]
    assert len(cfg["SECRET_KEY"]) == 64


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db:5432/chatrun")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/2")
    monkeypatch.setenv("CHATRUN_RUNS_PER_MINUTE", "5")
    monkeypatch.setenv("CHATRUN_RUNS_PER_DAY", "50")
    monkeypatch.setenv("CHATRUN_EXTENSION_ORIGINS", "chrome-extension://a, chrome-extension://b")
    cfg = config.from_env(tmp_path)
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db:5432/chatrun"
    assert cfg["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/2"
    assert (cfg["CHATRUN_RUNS_PER_MINUTE"], cfg["CHATRUN_RUNS_PER_DAY"]) == (5, 50)
    assert cfg["CHATRUN_EXTENSION_ORIGINS"] == ["chrome-extension://a", "chrome-extension://b"]


def test_test_config_overrides_environment(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url


def test_index_points_at_api(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.json["openapi"] == "/api/openapi.json"
