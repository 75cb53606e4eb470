"""`scripts/bench stats`: /stats over 90 days at 100k runs, older code beside this checkout's.

Seeds one database (SQLite, then PostgreSQL in a scratch schema) with --runs runs over 90 days
as scripts/bench_api.py does, migrated to this checkout's head, then serves it with two gunicorns
at once: the code of --before (a git commit, exported to a temporary folder) and this checkout's.
Requests take turns between the two (which goes first alternates), so both columns see the same
machine load; every pair must answer the same JSON. Beside each latency: the CPU per request of
that server's gunicorn workers and of their PostgreSQL backends, which the machine's load does
not change. Ranges: whole UTC days (the bench_api measure) and the same 90 days cut mid-day
at both ends (what "the last 90 days" asks).

Usage: .venv/bin/python scripts/bench_stats.py --before COMMIT [--runs 100000] [--repeat 100]
       [--databases sqlite,postgresql] [--postgres-url URL] [--redis-url URL] [--workers 4]
"""
import argparse
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import requests

import bench_api
from bench_api import DEFAULT_PG, DEFAULT_REDIS, ROOT, LimitStorage, Server, summary
from open_loop import ProcessCpu, children

TARGET_P95_MS = 50  # issue 14, "API at scale"
RANGES = {
    "whole days": "since=2025-01-01T00:00:00Z&until=2025-04-01T00:00:00Z",
    "cut mid-day": "since=2025-01-01T05:30:00Z&until=2025-04-01T17:45:00Z",
}


def export(commit, into):
    """The tree of commit (its companion_api is all a server needs) in the folder into."""
    archive = subprocess.run(["git", "archive", commit, "companion_api", "pyproject.toml"],
                             cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def register(server):
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    reg = requests.post(f"{server.url}/api/v1/auth/register", json={
        "email": email, "password": "bench password", "device_name": "bench"}, timeout=30)
    return email, {"Authorization": f"Bearer {reg.json()['token']}"}


def in_turns(servers, headers, query, repeat, warm):
    """{label: latencies in s} of GET /stats?query, the servers taking turns; the first `warm`
    turns are not counted (every worker's first statements, its connection's page cache)."""
    sessions = {label: requests.Session() for label in servers}
    latencies = {label: [] for label in servers}
    for i in range(repeat + warm):
        order = list(servers) if i % 2 else list(servers)[::-1]
        answers = {}
        for label in order:
            t = time.perf_counter()
            resp = sessions[label].get(f"{servers[label].url}/api/v1/stats?{query}",
                                       headers=headers, timeout=60)
            elapsed = time.perf_counter() - t
            assert resp.ok, resp.text
            answers[label] = resp.json()
            if i >= warm:
                latencies[label].append(elapsed)
        first, *others = answers.values()
        assert all(a == first for a in others), f"the servers disagree on {query}"
    return latencies


def bench_database(database_url, args, limits, servers):
    email, headers = register(servers["now"])
    t = time.perf_counter()
    bench_api.seed(database_url, email, args.runs)
    print(f"   seeded {args.runs} runs in {time.perf_counter() - t:.1f}s", flush=True)
    for range_name, query in RANGES.items():
        in_turns(servers, headers, query, 0, 5 * limits.workers)  # warm every worker
        # CPU of each server's workers and database backends: they work only on their own
        # requests, so this is CPU per request whatever else loads the machine.
        meters = {name: (ProcessCpu(children(server.proc.pid)).start(),
                         ProcessCpu(server.backend_pids(database_url)).start())
                  for name, server in servers.items()}
        load = os.getloadavg()[0]
        latencies = in_turns(servers, headers, query, args.repeat, 0)
        for name, values in latencies.items():
            r = summary(values)
            verdict = "met" if r["p95_ms"] < TARGET_P95_MS else "MISSED"
            cpu = [meter.stop() * 1000 / len(values) for meter in meters[name]]
            print(f"   stats 90 days, {range_name:11s} {name:16s} p50 {r['p50_ms']:7.2f} ms   "
                  f"p95 {r['p95_ms']:7.2f} ms (< {TARGET_P95_MS}: {verdict})   n={r['n']}  "
                  f"CPU ms per request: gunicorn {cpu[0]:.1f}, postgres {cpu[1]:.1f}  "
                  f"(load {load:.1f}->{os.getloadavg()[0]:.1f})", flush=True)


def serve(label, database_url, args, limits, before_root, bench_database):
    """Migrate the database, serve it with --before's code and this checkout's, and bench them."""
    print(f"\n== {label}: {args.before} and this checkout ({limits.describe()} each)", flush=True)
    bench_api.migrate(database_url)
    servers = {}
    try:
        servers["now"] = Server(database_url, limits)
        servers[f"before {args.before}"] = Server(database_url, limits, root=before_root)
        for name, server in servers.items():
            print(f"   {name}: /healthz schema {server.health['schema']}", flush=True)
        bench_database(database_url, args, limits, servers)
    finally:
        for server in servers.values():
            server.stop()


def before_and_now(parser, bench_database, order=("sqlite", "postgresql")):
    """Shared by the benches that serve an older commit beside this checkout: add their common
    arguments to parser, parse, export --before's tree, then for each wanted database in
    `order` (PostgreSQL in a scratch schema) bench_database(url, args, limits, servers) with
    both servers up."""
    parser.add_argument("--before", required=True, help="the older commit to serve beside")
    parser.add_argument("--databases", default=",".join(order))
    parser.add_argument("--postgres-url", default=os.environ.get("DATABASE_URL") or DEFAULT_PG)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or DEFAULT_REDIS)
    parser.add_argument("--workers", type=int, default=4, help="with Redis; without it, 1")
    args = parser.parse_args()
    args.before = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=ROOT,
                                 check=True, capture_output=True, text=True).stdout.strip()
    limits = LimitStorage(args.redis_url, args.workers)
    wanted = {d.strip() for d in args.databases.split(",")}
    print(f"load average (1 min) at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    try:
        with tempfile.TemporaryDirectory() as before_root:
            export(args.before, Path(before_root))
            for kind in (k for k in order if k in wanted):
                if kind == "sqlite":
                    with tempfile.TemporaryDirectory() as tmp:
                        serve("SQLite", f"sqlite:///{tmp}/bench.db", args, limits, before_root,
                              bench_database)
                    continue
                url, drop = bench_api.scratch_postgres(args.postgres_url, getattr(args, "pg_setting", ()))
                try:
                    serve("PostgreSQL", url, args, limits, before_root, bench_database)
                finally:
                    drop()
    finally:
        limits.close()
    print(f"load average (1 min) at end {os.getloadavg()[0]:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100, help="requests per server and range")
    before_and_now(parser, bench_database)


if __name__ == "__main__":
    main()
