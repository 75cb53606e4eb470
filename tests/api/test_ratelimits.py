"""Rate limits: runs per account counted per run (per minute by when they ran, per day by
arrival), auth per IP, a default for the rest."""
import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import requests

from . import services
from .factories import iso, run
from .live import LiveServer, register

# Runs that ran half an hour ago, all in one minute: they count in that minute whenever they
# arrive, so these tests never straddle a minute boundary.
RAN_AT = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=30)


def ran(n=1, minutes=0):
    """`n` runs that ran `minutes` after RAN_AT."""
    return [run(timestamp=iso(RAN_AT + timedelta(minutes=minutes))) for _ in range(n)]


@pytest.fixture
def limited(make_app):
    app = make_app(CHATRUN_RUNS_PER_MINUTE=10, CHATRUN_RUNS_PER_DAY=1000)
    return app.test_client()


def new_user(client, email):
    resp = client.post("/api/v1/auth/register", json={
        "email": email, "password": "correct horse", "device_name": "x"})
    return {"Authorization": f"Bearer {resp.json['token']}"}


def batch(client, headers, n):
    return client.post("/api/v1/executions/batch", json={"items": ran(n)}, headers=headers)


def assert_limited(resp):
    assert resp.status_code == 429
    assert resp.json["error"]["code"] == "rate_limited"
    assert int(resp.headers["Retry-After"]) > 0


def test_runs_are_counted_per_run_not_per_request(limited):
    headers = new_user(limited, "a@example.com")
    assert batch(limited, headers, 8).status_code == 200
    # 8 + 3 > 10: refused whole, and nothing of it is charged...
    assert_limited(batch(limited, headers, 3))
    # ...so the 2 runs left still fit, through any run-storing route.
    assert batch(limited, headers, 1).status_code == 200
    (single,) = ran()
    assert limited.post("/api/v1/executions", json=single, headers=headers).status_code == 201
    assert_limited(limited.post("/api/v1/executions", json=ran()[0], headers=headers))
    compat = {**ran()[0], "message_uuid": "m", "artifact_uuid": "a"}
    assert_limited(limited.post("/api/chat/executions", json=compat, headers=headers))
    # Reads are not runs.
    assert limited.get("/api/v1/executions", headers=headers).status_code == 200


def test_each_account_has_its_own_budget(limited):
    first, second = new_user(limited, "a@example.com"), new_user(limited, "b@example.com")
    assert batch(limited, first, 10).status_code == 200
    assert_limited(batch(limited, first, 1))
    assert batch(limited, second, 10).status_code == 200


def test_devices_of_one_account_share_the_budget(limited):
    headers = new_user(limited, "a@example.com")
    second = limited.post("/api/v1/auth/login", json={
        "email": "a@example.com", "password": "correct horse", "device_name": "y"}).json["token"]
    assert batch(limited, headers, 10).status_code == 200
    assert_limited(batch(limited, {"Authorization": f"Bearer {second}"}, 1))


def limited_server(live_server, **env):
    """gunicorn on this pass's database and limiter storage: two workers sharing Redis, or one
    process with in-memory counters (several would each count alone)."""
    return live_server(workers=2 if services.REDIS_URL else 1, **env)


def post_batch(server, headers, items):
    return requests.post(f"{server.url}/api/v1/executions/batch", json={"items": items},
                         headers=headers, timeout=30)


def test_a_backlog_is_counted_by_when_its_runs_ran(live_server):
    """The per-minute limit stops runaway clients, not a backlog: 300 runs made over five hours
    go up in three batches at once; runs that ran in one minute still stop at the limit."""
    server = limited_server(live_server, CHATRUN_RUNS_PER_MINUTE=10, CHATRUN_RUNS_PER_DAY=1000)
    headers = register(server.url, "backlog@example.com")
    backlog = [ran(minutes=-m)[0] for m in range(300)]
    for start in range(0, 300, 100):
        resp = post_batch(server, headers, backlog[start:start + 100])
        assert resp.status_code == 200 and resp.json()["created"] == 100
    # A runaway client: its runs all ran in one minute.
    assert post_batch(server, headers, ran(10, minutes=5)).status_code == 200
    resp = post_batch(server, headers, ran(1, minutes=5))
    assert resp.status_code == 429 and 0 < int(resp.headers["Retry-After"]) <= 60
    assert resp.json()["error"]["code"] == "rate_limited"
    # One full minute holds up no other minute.
    assert post_batch(server, headers, ran(10, minutes=6)).status_code == 200


def test_timestamps_out_of_bounds_count_when_they_arrive(live_server):
    """A timestamp more than 5 minutes ahead or 7 days back is not believed: such runs count in
    the minute they arrive, so spreading forged timestamps buys nothing there."""
    server = limited_server(live_server, CHATRUN_RUNS_PER_MINUTE=10, CHATRUN_RUNS_PER_DAY=1000)
    now = datetime.now(timezone.utc)
    forged = ([run(timestamp=iso(now - timedelta(days=8, minutes=m))) for m in range(6)]
              + [run(timestamp=iso(now + timedelta(hours=1, minutes=m))) for m in range(5)])
    headers = register(server.url, "forged@example.com")
    # One request arrives in one minute: 11 runs there are one too many...
    resp = post_batch(server, headers, forged)
    assert resp.status_code == 429
    # ...and 10 fit (each believed run counts in its own minute instead).
    assert post_batch(server, headers, forged[:10] + ran(1)).status_code == 200


def test_the_daily_quota_is_exact_and_a_refused_request_costs_nothing(live_server):
    """Per day runs count by arrival, whatever their timestamps: exactly the quota is stored.
    A request the day refuses charges neither the day nor the minutes it ran in."""
    server = limited_server(live_server, CHATRUN_RUNS_PER_MINUTE=10, CHATRUN_RUNS_PER_DAY=20)
    headers = register(server.url, "daily@example.com")
    first = post_batch(server, headers, ran(8))
    # Limit headers come with refusals only (reading the window back costs a Redis round trip).
    assert first.status_code == 200 and "X-RateLimit-Limit" not in first.headers
    assert post_batch(server, headers, ran(10, minutes=1)).status_code == 200
    # 18 + 3 > 20: the day refuses, and the 2 runs it would have added to the first minute
    # are taken back...
    day_refused = post_batch(server, headers, ran(2) + ran(1, minutes=2))
    assert day_refused.status_code == 429 and int(day_refused.headers["Retry-After"]) > 0
    assert day_refused.headers["X-RateLimit-Limit"] == "20"
    assert day_refused.headers["X-RateLimit-Remaining"] == "2"
    # ...so that minute still takes 2 (8 + 2 = 10), and the day exactly its last 2.
    assert post_batch(server, headers, ran(2)).status_code == 200
    for items in (ran(1, minutes=3), ran(1, minutes=-600)):
        assert post_batch(server, headers, items).status_code == 429
    single = requests.post(f"{server.url}/api/v1/executions", json=ran(1, minutes=4)[0],
                           headers=headers, timeout=10)
    assert single.status_code == 429
    account = requests.get(f"{server.url}/api/v1/account", headers=headers, timeout=10).json()
    assert account["execution_count"] == 20


def test_register_and_login_are_limited_per_ip(make_app):
    client = make_app(CHATRUN_AUTH_LIMIT="3/minute").test_client()
    for i in range(3):
        assert client.post("/api/v1/auth/login", json={
            "email": f"x{i}@example.com", "password": "guessing!", "device_name": "x"}
        ).status_code == 401
    assert_limited(client.post("/api/v1/auth/register", json={
        "email": "new@example.com", "password": "correct horse", "device_name": "x"}))
    other_ip = client.post("/api/v1/auth/register", json={
        "email": "new@example.com", "password": "correct horse", "device_name": "x"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other_ip.status_code == 201


def test_default_limit_covers_other_routes(make_app):
    client = make_app(CHATRUN_DEFAULT_LIMIT="5/minute").test_client()
    headers = new_user(client, "a@example.com")
    statuses = [client.get("/api/v1/devices", headers=headers).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert client.get("/healthz").status_code == 200  # probes are exempt


def test_limit_holds_across_two_app_processes_sharing_redis(live_server):
    """Two separate gunicorn masters (2 workers each) on one Redis: 20 runs/minute in total."""
    services.require_redis()
    env = {"CHATRUN_RUNS_PER_MINUTE": 20}
    servers = [live_server(workers=2, **env), live_server(workers=2, **env)]
    headers = register(servers[0].url, "shared@example.com")
    codes = []
    for server in itertools.islice(itertools.cycle(servers), 30):
        resp = requests.post(f"{server.url}/api/v1/executions", json=ran()[0], headers=headers,
                             timeout=10)
        codes.append(resp.status_code)
    assert codes.count(201) == 20 and codes.count(429) == 10
    assert codes[:20] == [201] * 20
    # Batches are charged per run across processes too.
    resp = requests.post(f"{servers[1].url}/api/v1/executions/batch",
                         json={"items": ran()}, headers=headers, timeout=10)
    assert resp.status_code == 429 and resp.headers["Retry-After"]


def test_failed_password_checks_are_limited_per_account_wherever_they_happen(make_app):
    """Login (API and dashboard) and account deletion share one budget of failed password
    checks per account: a stolen token or session is no fast password oracle."""
    app = make_app(CHATRUN_PASSWORD_LIMIT="3/minute")
    client = app.test_client()
    victim = new_user(client, "victim@example.com")
    other = new_user(client, "other@example.com")
    wrong = {"password": "wrong guess", "confirm": "delete my account"}
    # Correct logins cost nothing: the owner is never locked out by signing in.
    for _ in range(4):
        assert client.post("/api/v1/auth/login", json={
            "email": "victim@example.com", "password": "correct horse",
            "device_name": "x"}).status_code == 201
    statuses = [client.post("/api/v1/account/delete", json=wrong, headers=victim,
                            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
                for i in range(3)]
    assert statuses == [403, 403, 403]
    # From any IP and any route, even with the right password, the account's checks now wait.
    assert_limited(client.post("/api/v1/account/delete", headers=victim,
                               json={**wrong, "password": "correct horse"},
                               environ_base={"REMOTE_ADDR": "10.9.9.9"}))
    assert_limited(client.post("/api/v1/auth/login", json={
        "email": "VICTIM@example.com", "password": "correct horse", "device_name": "x"},
        environ_base={"REMOTE_ADDR": "10.9.9.8"}))
    assert client.get("/api/v1/account", headers=victim).status_code == 200  # not deleted
    # Another account is untouched.
    assert client.post("/api/v1/account/delete", headers=other,
                       json={**wrong, "password": "correct horse"}).status_code == 204


def test_account_deletion_is_limited_per_ip(make_app):
    client = make_app(CHATRUN_AUTH_LIMIT="2/minute", CHATRUN_PASSWORD_LIMIT="100/minute"
                      ).test_client()
    headers = new_user(client, "a@example.com")  # spends 1 of the IP's 2
    wrong = {"password": "wrong guess", "confirm": "delete my account"}
    assert client.post("/api/v1/account/delete", json=wrong, headers=headers).status_code == 403
    assert_limited(client.post("/api/v1/account/delete", json=wrong, headers=headers))


def test_without_redis_one_process_serves_and_login_limits_are_exact(database_url):
    """The default start without REDIS_URL: 50 wrong logins from 8 threads at once, exactly the
    limit's 10 get an answer (with 4 per-process counters 39 got through)."""
    with LiveServer(database_url, workers=None, CHATRUN_AUTH_LIMIT="10/minute",
                    CHATRUN_PASSWORD_PROFILE="cheap") as server:
        def guess(i):
            return requests.post(f"{server.url}/api/v1/auth/login", timeout=20, json={
                "email": f"x{i}@example.com", "password": "guessing!", "device_name": "x"}
            ).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(guess, range(50)))
    assert codes.count(401) == 10 and codes.count(429) == 40


def test_several_processes_without_shared_limits_refuse_to_start(database_url):
    server = LiveServer(database_url, workers=3, CHATRUN_ALLOW_PER_PROCESS_LIMITS="0")
    with pytest.raises(RuntimeError, match="refusing to start 3 worker processes without "
                                           "REDIS_URL"):
        server.start()
    server.stop()
