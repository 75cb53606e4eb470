"""`scripts/bench api`: the companion API under gunicorn, on SQLite and on PostgreSQL.

Measures, per database:
  * single-write latency p50/p99 at a fixed request rate, 200/s by default (open loop, an
    asyncio driver in scripts/open_loop.py: latency counts from the scheduled send time, so a
    slow server cannot hide its backlog), the rate achieved, how late the driver itself sent,
    and the CPU per write of the gunicorn workers, their PostgreSQL backends and the driver,
  * batch-of-100 latency,
  * filtered list queries and text search over 100k stored runs (seeded straight into the
    database), stats over 90 days,
  * on PostgreSQL, text search again after topping the account up to 1M runs (--big-runs),
    seeded server-side with generate_series.

Usage: .venv/bin/python scripts/bench_api.py [--runs 100000] [--rate 200] [--writes 2000]
       [--big-runs 1000000] [--postgres-url URL] [--databases sqlite,postgresql] [--workers 4]
       [--redis-url URL] [--before bench-results/api-before.json]
PostgreSQL runs in a scratch schema that is dropped afterwards. Several workers share their
rate-limit counters in Redis (a scratch key prefix, deleted afterwards); without a reachable
Redis (or with --redis-url '') one worker serves. Results: bench-results/api.json; --before
prints an earlier result file (the same bench on older code) beside each figure.
"""
import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import redis
import requests
import sqlalchemy as sa

import open_loop
from open_loop import ProcessCpu

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
LANGUAGES = ("python", "javascript", "typescript")
STATUSES = ("success", "success", "success", "error", "timeout", "stopped")
SITES = ("chatgpt.com", "claude.ai", "gemini.google.com", "chat.example")
START = datetime(2025, 1, 1, tzinfo=timezone.utc)


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summary(latencies_s):
    ms = [v * 1000 for v in latencies_s]
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 2), "p95_ms": round(pct(ms, 95), 2),
            "p99_ms": round(pct(ms, 99), 2), "mean_ms": round(statistics.fmean(ms), 2)}


def record(i, rng):
    ts = START + timedelta(seconds=rng.randrange(90 * 86400))
    code = f"# block {i % 5000}\nprint(sum(range({i % 977})))"
    return {
        "execution_id": uuid.uuid4(), "timestamp": ts, "execution_time_ms": rng.randrange(1, 3000),
        "status": rng.choice(STATUSES), "code": code, "language": rng.choice(LANGUAGES),
        "title": f"Block {i % 5000}", "message_uuid": f"msg-{i % 20000}",
        "page": {"url": f"https://{SITES[i % 4]}/c/{i % 300}", "site": SITES[i % 4],
                 "title": "Chat"},
        "output": [{"type": "stdout", "content": f"result {i}", "timestamp": ts},
                   {"type": "log", "content": "done" if i % 50 else "needle found", "timestamp": ts}],
        "truncated": False,
    }


def wire(body):
    """A seeded record as JSON for the HTTP writes."""
    out = dict(body, execution_id=str(body["execution_id"]), timestamp=body["timestamp"].isoformat())
    out["output"] = [dict(o, timestamp=o["timestamp"].isoformat()) for o in body["output"]]
    return out


def migrate(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench"}
    subprocess.run([str(BIN / "flask"), "--app", "companion_api", "db", "upgrade"], cwd=ROOT,
                   env=env, check=True, capture_output=True)


# The same runs as record(), made by PostgreSQL itself (a million in well under a minute).
PG_SEED = """
INSERT INTO executions (account_id, device_id, execution_id, artifact_uuid, message_uuid,
    timestamp, execution_time_ms, status, language, code, title, page_url, page_site,
    page_title, output, output_text, truncated, created_at)
SELECT :account, :device, gen_random_uuid(), md5(code)::uuid::text, 'msg-' || (i % 20000), ts,
    1 + floor(random() * 2999)::int,
    (ARRAY['success','success','success','error','timeout','stopped'])[1 + floor(random() * 6)::int],
    (ARRAY['python','javascript','typescript'])[1 + floor(random() * 3)::int],
    code, 'Block ' || (i % 5000), 'https://' || site || '/c/' || (i % 300), site, 'Chat',
    jsonb_build_array(jsonb_build_object('type', 'stdout', 'content', 'result ' || i,
                                         'timestamp', iso),
                      jsonb_build_object('type', 'log', 'content', log, 'timestamp', iso)),
    'result ' || i || E'\\n' || log, false, now()
FROM (SELECT i, ts, to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00' AS iso,
             '# block ' || (i % 5000) || E'\\nprint(sum(range(' || (i % 977) || ')))' AS code,
             (ARRAY['chatgpt.com','claude.ai','gemini.google.com','chat.example'])[1 + i % 4]
                 AS site,
             CASE WHEN i % 50 = 0 THEN 'needle found' ELSE 'done' END AS log
      FROM (SELECT i, timestamp '2025-01-01' + floor(random() * 90 * 86400) * interval '1 s'
                AS ts FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS i) g) s
"""


def seed(database_url, account_email, n, first=0):
    """Insert runs first..n-1 for the account directly (the measured paths are the HTTP ones):
    PostgreSQL makes them server-side, SQLite gets them from Python. The daily counters are
    then rebuilt as the migration backfills them (older code has none)."""
    os.environ.setdefault("SECRET_KEY", "bench")
    sys.path.insert(0, str(ROOT))
    from companion_api import create_app
    from companion_api.extensions import db
    from companion_api.models import Account, Device, Execution
    from companion_api.services.ingest import to_row

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    rng = random.Random(7)
    with app.app_context():
        account = db.session.scalar(sa.select(Account).where(Account.email == account_email))
        device_id = db.session.scalar(sa.select(Device.id).where(Device.account_id == account.id))
        device = SimpleNamespace(id=device_id, account_id=account.id)
        postgres = db.engine.dialect.name == "postgresql"
        # A bulk load builds the secondary indexes once afterwards (minutes faster than row by
        # row); the primary key and the unique execution_id constraint stay.
        secondary = db.session.execute(sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'executions' "
            "AND schemaname = current_schema() AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint)")).all() if postgres else []
        for name, _ in secondary:
            db.session.execute(sa.text(f"DROP INDEX {name}"))
        step = 100_000 if postgres else 5000
        for start in range(first, n, step):
            end = min(n, start + step)
            if postgres:
                db.session.execute(sa.text(PG_SEED), {"account": account.id, "device": device_id,
                                                      "first": start, "last": end - 1})
            else:
                rows = [to_row(record(i, rng), device) for i in range(start, end)]
                db.session.execute(sa.insert(Execution.__table__), rows)
            db.session.commit()
        if secondary:
            db.session.execute(sa.text("SET maintenance_work_mem = '256MB'"))
        for _, definition in secondary:
            db.session.execute(sa.text(definition))
        try:
            from companion_api.services import rollups
        except ImportError:
            rollups = None  # the code before the counters
        if rollups is not None:
            rollups.rebuild(account.id)
        db.session.commit()
        # Measure a settled database, not autovacuum/WAL catching up with the bulk load.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if postgres:
                for table in sa.inspect(conn).get_table_names():
                    conn.execute(sa.text(f"VACUUM ANALYZE {table}"))
            else:
                conn.execute(sa.text("ANALYZE"))
        db.engine.dispose()


class LimitStorage:
    """Where a bench server keeps its rate-limit counters. gunicorn refuses several worker
    processes without shared counters (each would count alone, so a result would depend on which
    worker took a request): Redis under a scratch key prefix when it answers, else one worker."""

    def __init__(self, redis_url, workers):
        self.url, self.workers, self.client = None, 1, None
        self.prefix = f"chatrun-bench-{uuid.uuid4().hex[:8]}"
        if redis_url:
            try:
                self.client = redis.Redis.from_url(redis_url, socket_timeout=3)
                self.client.ping()
                self.url, self.workers = redis_url, workers
            except redis.RedisError as exc:
                print(f"   Redis at {redis_url} does not answer ({exc}): one worker process")
                self.client = None

    @property
    def env(self):
        """The server's environment for these counters."""
        shared = {"REDIS_URL": self.url, "CHATRUN_RATELIMIT_PREFIX": self.prefix} if self.url else {}
        return {"WEB_CONCURRENCY": str(self.workers), **shared}

    def describe(self):
        where = f"Redis {self.url}" if self.url else "process memory"
        return f"{self.workers} gunicorn worker(s), limit counters in {where}"

    def close(self):
        if self.client is not None:
            keys = list(self.client.scan_iter(f"*{self.prefix}*", count=1000))
            if keys:
                self.client.delete(*keys)
            self.client.close()


class Server:
    def __init__(self, database_url, limits, root=ROOT):
        """gunicorn serving the code in root (another tree: an older commit's code, on a database
        migrated past it, which its /healthz calls "behind")."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
        env.update(limits.env)
        env.update(DATABASE_URL=database_url, CHATRUN_BIND=f"127.0.0.1:{self.port}",
                   CHATRUN_ACCESS_LOG="", SECRET_KEY="bench",
                   CHATRUN_LOG_LEVEL="warning", CHATRUN_RUNS_PER_MINUTE="100000000",
                   CHATRUN_RUNS_PER_DAY="100000000", CHATRUN_DEFAULT_LIMIT="100000000/minute",
                   CHATRUN_AUTH_LIMIT="1000/minute",
                   # libpq names the workers' connections: backend_pids() finds them.
                   PGAPPNAME=f"chatrun-bench-{self.port}",
                   # Ahead of the editable install of this checkout.
                   PYTHONPATH=str(root))
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "companion_api/gunicorn.conf.py",
             "companion_api.wsgi:app"], cwd=root, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.health = requests.get(f"{self.url}/healthz", timeout=2).json()
                if (self.health["database"] == self.health["limiter"] == "ok"
                        and self.health["schema"] in ("ok", "behind")):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def backend_pids(self, database_url):
        """The PostgreSQL backends serving this server's workers (none on SQLite)."""
        if not database_url.startswith("postgresql"):
            return []
        engine = sa.create_engine(database_url)
        try:
            with engine.connect() as conn:
                return conn.scalars(sa.text(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
                    {"name": f"chatrun-bench-{self.port}"}).all()
        finally:
            engine.dispose()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def warm_writes(server, headers, workers):
    """Warm every worker (imports, pools, first queries) so p99 measures steady state."""
    warm = random.Random(3)
    with ThreadPoolExecutor(max_workers=workers * 2) as pool:
        list(pool.map(lambda i: requests.post(
            f"{server.url}/api/v1/executions", json=wire(record(3 * 10**7 + i, warm)),
            headers=headers, timeout=30), range(workers * 10)))


def fixed_rate_writes(server, headers, rate, count, database_url, keep=False):
    """Open loop (scripts/open_loop.py): write i is due at i/rate and sent then on its own
    connection; its latency runs from then to the answer. Also the CPU that the gunicorn
    workers, their PostgreSQL backends and the driver spent per write, to tell which one
    limits the rate."""
    rng = random.Random(11)
    path = urlsplit(server.url).path + "/api/v1/executions"
    payloads = [open_loop.http_request(server.url, "POST", path, json.dumps(wire(record(
        10**7 + i, rng))).encode(), {**headers, "Content-Type": "application/json"})
        for i in range(count)]
    workers = ProcessCpu(open_loop.children(server.proc.pid)).start()
    backends = ProcessCpu(server.backend_pids(database_url)).start()
    load = os.getloadavg()[0]
    run = open_loop.drive(server.url, payloads, rate)
    if run["failures"]:
        raise SystemExit(f"{len(run['failures'])} writes failed, first: {run['failures'][0]}")
    lag = summary(run["lags"])
    per_write = lambda seconds: round(seconds * 1000 / count, 2)  # noqa: E731
    return {**summary(run["latencies"]), "target_rate_per_s": rate,
            "achieved_rate_per_s": round(count / run["span_s"], 1),
            "send_lag_p99_ms": lag["p99_ms"],
            "cpu_ms_per_write": {"gunicorn": per_write(workers.stop()),
                                 "postgres": per_write(backends.stop()),
                                 "driver": per_write(run["driver_cpu_s"])},
            "load_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
            **({"latencies_s": run["latencies"]} if keep else {})}


def timed(session, method, url, repeat, **kwargs):
    latencies = []
    for _ in range(repeat):
        t = time.perf_counter()
        resp = session.request(method, url, timeout=60, **kwargs)
        latencies.append(time.perf_counter() - t)
        assert resp.ok, resp.text
    return {**summary(latencies), "load_1min": round(os.getloadavg()[0], 2)}, resp


def bench_database(label, database_url, args, limits):
    print(f"\n== {label}: migrate, start gunicorn ({limits.describe()}), seed {args.runs} runs",
          flush=True)
    migrate(database_url)
    server = Server(database_url, limits)
    try:
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        reg = requests.post(f"{server.url}/api/v1/auth/register", json={
            "email": email, "password": "bench password", "device_name": "bench"}, timeout=30)
        headers = {"Authorization": f"Bearer {reg.json()['token']}"}
        t = time.perf_counter()
        seed(database_url, email, args.runs)
        print(f"   seeded in {time.perf_counter() - t:.1f}s", flush=True)
        session = requests.Session()
        warm_writes(server, headers, limits.workers)
        results = {"single_write": fixed_rate_writes(server, headers, args.rate, args.writes,
                                                     database_url)}
        rng = random.Random(5)
        batches = [{"items": [wire(record(2 * 10**7 + b * 100 + i, rng)) for i in range(100)]}
                   for b in range(args.batches)]
        lat = []
        for body in batches:
            t = time.perf_counter()
            resp = session.post(f"{server.url}/api/v1/executions/batch", json=body,
                                headers=headers, timeout=60)
            lat.append(time.perf_counter() - t)
            assert resp.json()["created"] == 100, resp.text
        results["batch_of_100"] = {**summary(lat), "load_1min": round(os.getloadavg()[0], 2)}
        base = f"{server.url}/api/v1/executions"
        queries = {
            "list_newest_50": "?limit=50",
            "filter_lang_status_site": "?language=python&status=error&site=claude.ai&limit=50",
            "filter_date_range": "?since=2025-02-01T00:00:00Z&until=2025-02-08T00:00:00Z&limit=50",
            "search_text_in_output": "?q=needle&limit=50",
            "search_no_match": "?q=zqxjv&limit=50",
        }
        answers = {}
        for name, query in queries.items():
            results[name], answers[name] = timed(session, "GET", base + query, args.repeat,
                                                 headers=headers)
        cursor = answers["search_text_in_output"].json()["next_cursor"]
        results["search_page_2"], _ = timed(session, "GET", f"{base}?q=needle&limit=50&cursor={cursor}",
                                            args.repeat, headers=headers)
        results["stats_90_days"], _ = timed(
            session, "GET", f"{server.url}/api/v1/stats?since=2025-01-01T00:00:00Z"
            "&until=2025-04-01T00:00:00Z", args.repeat, headers=headers)
        if args.big_runs and database_url.startswith("postgresql"):
            t = time.perf_counter()
            seed(database_url, email, args.big_runs, first=args.runs)
            print(f"   topped up to {args.big_runs} runs in {time.perf_counter() - t:.1f}s",
                  flush=True)
            for name, query in (("search_text_in_output_1M", "?q=needle&limit=50"),
                                ("search_no_match_1M", "?q=zqxjv&limit=50")):
                results[name], _ = timed(session, "GET", base + query, args.repeat,
                                         headers=headers)
        for name, r in results.items():
            extra = (f"  (target {r['target_rate_per_s']}/s, achieved {r['achieved_rate_per_s']}/s,"
                     f" sent late p99 {r['send_lag_p99_ms']} ms; CPU ms per write "
                     + ", ".join(f"{k} {v}" for k, v in r["cpu_ms_per_write"].items())
                     + f"; load {r['load_1min'][0]}->{r['load_1min'][1]})"
                     if "target_rate_per_s" in r else f"  (load {r['load_1min']})")
            print(f"   {name:26s} p50 {r['p50_ms']:8.2f} ms   p95 {r['p95_ms']:8.2f} ms   "
                  f"p99 {r['p99_ms']:8.2f} ms   n={r['n']}{extra}", flush=True)
        return results
    finally:
        server.stop()


def scratch_postgres(url, settings=()):
    """A throwaway schema in the given database, reached through search_path; `settings`
    ("name=value") are set on every connection of the URL too (libpq options)."""
    schema = f"chatrun_bench_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in url else "?"
    options = "%20".join(f"-c{quote(s, safe='')}" for s in (f"search_path={schema}", *settings))
    return f"{url}{sep}options={options}", lambda: _drop(engine, schema)


def _drop(engine, schema):
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=200.0, help="single writes per second")
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=100, help="samples per read measure")
    parser.add_argument("--big-runs", type=int, default=1_000_000,
                        help="PostgreSQL: runs for the second search measure (0: skip)")
    parser.add_argument("--before", type=Path, help="an earlier api.json to print beside")
    parser.add_argument("--workers", type=int, default=4, help="with Redis; without it, 1")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or DEFAULT_REDIS,
                        help="rate-limit counters shared by the workers ('' = one worker)")
    parser.add_argument("--postgres-url", default=os.environ.get("DATABASE_URL") or DEFAULT_PG)
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    args = parser.parse_args()

    limits = LimitStorage(args.redis_url, args.workers)
    report = {"machine": {"cores": os.cpu_count(), "load_at_start": os.getloadavg()},
              "params": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
              "server": limits.describe(), "results": {}}
    wanted = {d.strip() for d in args.databases.split(",")}
    try:
        if "sqlite" in wanted:
            with tempfile.TemporaryDirectory() as tmp:
                report["results"]["sqlite"] = bench_database(
                    "SQLite", f"sqlite:///{tmp}/bench.db", args, limits)
        if "postgresql" in wanted:
            url, drop = scratch_postgres(args.postgres_url)
            try:
                report["results"]["postgresql"] = bench_database("PostgreSQL", url, args, limits)
            finally:
                drop()
    finally:
        limits.close()
    out = ROOT / "bench-results" / "api.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    before = json.loads(args.before.read_text())["results"] if args.before else {}
    report["machine"]["load_at_end"] = os.getloadavg()
    out.write_text(json.dumps(report, indent=2))
    print_targets(report["results"], before)
    print(f"   load average (1 min) at start {report['machine']['load_at_start'][0]:.1f}, "
          f"at end {report['machine']['load_at_end'][0]:.1f} on {os.cpu_count()} cores")
    print(f"\nwritten: {out.relative_to(ROOT)}")


# (label, measure, statistic, target ms): issue 14's "API at scale" goals.
TARGETS = (
    ("single write at 200/s", "single_write", "p50_ms", None),
    ("single write at 200/s", "single_write", "p99_ms", 25),
    ("stats over 90 days, 100k runs", "stats_90_days", "p95_ms", 50),
    ("search, 100k runs", "search_text_in_output", "p99_ms", 50),
    ("search without a match, 100k runs", "search_no_match", "p99_ms", 50),
    ("search, 1M runs", "search_text_in_output_1M", "p99_ms", 50),
    ("search without a match, 1M runs", "search_no_match_1M", "p99_ms", 50),
)


def print_targets(results, before):
    print("\n== targets (ms)")
    print(f"   {'database':10s} {'figure':36s} {'stat':4s} {'before':>9s} {'now':>9s} "
          f"{'target':>8s}")
    for database, measures in results.items():
        for label, name, stat, target in TARGETS:
            if name not in measures:
                continue
            old = before.get(database, {}).get(name, {}).get(stat)
            verdict = "" if target is None else (
                "  met" if measures[name][stat] < target else "  MISSED")
            print(f"   {database:10s} {label:36s} {stat[:3]:4s} "
                  f"{old if old is not None else '-':>9} {measures[name][stat]:9.2f} "
                  f"{'< ' + str(target) if target else '':>8s}{verdict}")


if __name__ == "__main__":
    main()
