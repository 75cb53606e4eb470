"""`scripts/bench writes`: single writes at a fixed rate, older code beside this checkout's.

The single-write measure of scripts/bench_api.py (open loop at --rate writes/s, latency from each
write's due time, the rate achieved, CPU per write of the gunicorn workers, their PostgreSQL
backends and the driver), served by two gunicorns on one migrated database: the code of
--before (a git commit) and this checkout's. They take turns in phases of --writes writes
(before, now, now, before, ...), so both columns see the same machine; each column pools its
phases.

Usage: .venv/bin/python scripts/bench_writes.py --before COMMIT [--rate 200] [--writes 1000]
       [--phases 4] [--databases postgresql] [--postgres-url URL] [--redis-url URL]
       [--workers 4] [--pg-setting NAME=VALUE ...]
"""
import argparse

import bench_api
from bench_api import fixed_rate_writes
from bench_stats import before_and_now, register

TARGET_P99_MS = 25  # issue 14, "API at scale"


def pooled(phases):
    """One column from its phases: latency percentiles over every write, the rest averaged."""
    latencies = [v for phase in phases for v in phase["latencies_s"]]
    mean = lambda key: sum(p[key] for p in phases) / len(phases)  # noqa: E731
    return {**bench_api.summary(latencies),
            "achieved_rate_per_s": round(mean("achieved_rate_per_s"), 1),
            "send_lag_p99_ms": round(max(p["send_lag_p99_ms"] for p in phases), 2),
            "cpu_ms_per_write": {k: round(sum(p["cpu_ms_per_write"][k] for p in phases)
                                          / len(phases), 2)
                                 for k in phases[0]["cpu_ms_per_write"]}}


def bench_database(database_url, args, limits, servers):
    print(f"   {args.phases} phases of {args.writes} single writes at {args.rate:g}/s, taking turns",
          flush=True)
    headers = {name: register(server)[1] for name, server in servers.items()}
    for name, server in servers.items():  # warm every worker: pools, first statements
        bench_api.warm_writes(server, headers[name], limits.workers)
    phases = {name: [] for name in servers}
    names = list(servers)[::-1]
    for i in range(args.phases):
        name = names[(i + i // 2) % 2]  # before, now, now, before, before, now, ...
        phase = fixed_rate_writes(servers[name], headers[name], args.rate, args.writes,
                                  database_url, keep=True)
        phases[name].append(phase)
        # Each phase on its own line: on a shared VM the CPU one write costs can swing by half
        # between consecutive phases of the same code, and p99 with it.
        print(f"     phase {i + 1} {name:16s} p50 {phase['p50_ms']:7.2f} ms  p99 "
              f"{phase['p99_ms']:7.2f} ms  CPU ms per write: gunicorn "
              f"{phase['cpu_ms_per_write']['gunicorn']}, postgres "
              f"{phase['cpu_ms_per_write']['postgres']}  load {phase['load_1min']}", flush=True)
    for name, runs in phases.items():
        r = pooled(runs)
        verdict = "met" if r["p99_ms"] < TARGET_P99_MS else "MISSED"
        cpu = r["cpu_ms_per_write"]
        print(f"   single write {name:16s} p50 {r['p50_ms']:8.2f} ms   p99 {r['p99_ms']:8.2f} ms "
              f"(< {TARGET_P99_MS}: {verdict})   achieved {r['achieved_rate_per_s']}/s of "
              f"{args.rate:g}, sent late p99 {r['send_lag_p99_ms']} ms   CPU ms per write: "
              f"gunicorn {cpu['gunicorn']}, postgres {cpu['postgres']}, driver "
              f"{cpu['driver']}   n={r['n']}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="single writes per second")
    parser.add_argument("--writes", type=int, default=1000, help="writes per phase")
    parser.add_argument("--phases", type=int, default=4, help="phases in all (half each)")
    # To tell what the tail is made of, e.g. --pg-setting synchronous_commit=off (commits stop
    # waiting for the WAL flush; never a product setting: an acknowledged run could be lost).
    parser.add_argument("--pg-setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a PostgreSQL setting for the servers' connections (repeatable)")
    before_and_now(parser, bench_database, order=("postgresql",))


if __name__ == "__main__":
    main()
