"""The daily counters behind /stats stay exactly what the runs say, through every way runs
come and go, and /stats read from them equals /stats counted from the runs."""
import importlib.util
import uuid
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion_api.extensions import db
from companion_api.models import Device
from companion_api.services import accounts, queries, rollups, stats

from .factories import T0, iso, run

PROPERTY = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                            HealthCheck.too_slow])
VERSIONS = Path(__file__).resolve().parents[2] / "companion_api" / "migrations" / "versions"
MIGRATION = VERSIONS / "0003_stats_rollups_text_search.py"
BLOCKS_MIGRATION = VERSIONS / "0005_block_rollups.py"

durations = st.one_of(st.integers(0, 30), st.integers(0, 5000), st.integers(0, 86_400_000))
# Runs without a page, a page without a site, an empty site name and real ones.
pages = st.sampled_from([None, {"url": "https://chat.example/c/1", "site": None, "title": "T"},
                         {"site": ""}, {"site": "chat.example"}, {"site": "claude.ai"}])
# Minutes from T0: a few days around it, or months, so ranges read 4-, 16- and 64-day blocks.
minutes = st.one_of(st.integers(-3000, 3000), st.integers(-150 * 1440, 150 * 1440))
runs = st.builds(
    lambda minutes, ms, status, language, page: run(
        minutes=minutes, execution_time_ms=ms, status=status, language=language, page=page),
    minutes, durations, st.sampled_from(["success", "error", "timeout", "stopped"]),
    st.sampled_from(["python", "javascript", "R"]), pages)
operations = st.lists(st.one_of(
    st.tuples(st.just("one"), runs),
    st.tuples(st.just("batch"), st.lists(runs, min_size=1, max_size=12)),
    st.tuples(st.just("replay"), st.integers(0, 50)),
    st.tuples(st.just("delete_one"), st.integers(0, 50)),
    st.tuples(st.just("delete_language"), st.sampled_from(["python", "r"])),
    st.tuples(st.just("delete_all"), st.none()),
), min_size=1, max_size=8)
# Whole days, ranges inside one day, ranges cut mid-day at either end, and months.
ranges = st.one_of(st.tuples(st.integers(-4000, 4000), st.integers(1, 8000)),
                   st.tuples(st.integers(-160 * 1440, 160 * 1440), st.integers(1, 320 * 1440))).map(
    lambda r: (T0 + timedelta(minutes=r[0]), T0 + timedelta(minutes=r[0] + r[1])))


def account_id_of(user):
    return db.session.scalar(sa.select(Device.account_id).where(
        Device.public_id == uuid.UUID(user.device_id)))


def perform(user, app, op, arg, sent):
    if op == "one":
        sent.append(arg)
        assert user.post("/api/v1/executions", json=arg).status_code == 201
    elif op == "batch":
        sent.extend(arg)
        resp = user.post("/api/v1/executions/batch", json={"items": arg + arg[:1]})
        assert resp.status_code == 200 and resp.json["rejected"] == 0
    elif op == "replay" and sent:
        assert user.post("/api/v1/executions", json=sent[arg % len(sent)]).status_code in (200,
                                                                                           201)
    elif op == "delete_one" and sent:
        user.delete(f"/api/v1/executions/{sent[arg % len(sent)]['execution_id']}")
    elif op == "delete_language":
        with app.app_context():  # the dashboard's filtered delete
            queries.delete_runs(account_id_of(user), {"language": arg})
    elif op == "delete_all":
        assert user.delete("/api/v1/executions?confirm=delete-all").status_code == 200


def test_a_run_stamped_in_another_zone_counts_on_its_utc_day(app, user):
    """A single write counts the run from what it sent (on PostgreSQL in the INSERT's own
    statement), so its day must be the UTC day the stored row has, not the sender's local one."""
    user.store(timestamp="2026-01-01T02:00:00+05:30", execution_time_ms=3)  # 2025-12-31 UTC
    user.store(timestamp="2025-12-31T23:30:00-02:00", execution_time_ms=3)  # 2026-01-01 UTC
    with app.app_context():
        account_id = account_id_of(user)
        counted = rollups.stored(account_id)
        assert counted == rollups.recount(account_id)
        assert sorted({day for day, *_ in counted}) == [date(2025, 12, 31), date(2026, 1, 1)]


@PROPERTY
@given(ops=operations, spans=st.lists(ranges, min_size=1, max_size=3))
def test_counters_equal_a_recount_after_any_writes_and_deletes(app, users, ops, spans):
    user, other = users.new(), users.new()
    other.store(execution_time_ms=7)  # another account's run is never counted here
    sent = []
    for op, arg in ops:
        perform(user, app, op, arg, sent)
    with app.app_context():
        account_id = account_id_of(user)
        assert rollups.stored(account_id) == rollups.recount(account_id)
        assert rollups.stored_blocks(account_id) == rollups.blocks_of(rollups.recount(account_id))
        assert rollups.stored_sites(account_id) == rollups.recount_sites(account_id)
        for since, until in spans:
            args = {"since": since, "until": until}
            assert stats.overview(account_id, args) == stats.overview_of_runs(account_id, args)
            assert stats.charts(account_id, args) == stats.charts_of_runs(account_id, args)


def test_api_stats_cut_mid_day_match_a_count_of_the_runs(app, user):
    for i, ms in enumerate([5, 26, 27, 900, 950, 1000, 4000, 86_000_000, 12, 13]):
        user.store(minutes=i * 170, execution_time_ms=ms, language="python" if i % 3 else "sql",
                   status="error" if i % 4 == 0 else "success")
    s = user.get(f"/api/v1/stats?since={iso(T0 + timedelta(minutes=200))}"
                 f"&until={iso(T0 + timedelta(minutes=1200))}").json
    assert s["runs"] == 6 and s["duration_ms"] == {"p50": 950, "p95": 86_000_000}
    assert [d["runs"] for d in s["per_day"]] == [3, 3]
    with app.app_context():
        account_id = account_id_of(user)
        args = {"since": T0 + timedelta(minutes=200), "until": T0 + timedelta(minutes=1200)}
        assert stats.overview(account_id, args) == stats.overview_of_runs(account_id, args)


def test_top_sites_over_whole_days_and_cut_ones_match_a_count_of_the_runs(app, user):
    """Ties broken by name, the limit, runs without a site left out, mid-day cuts."""
    sites = ["b.example", "a.example", "b.example", None, "c.example", "a.example", "b.example"]
    for i, site in enumerate(sites * 3):
        user.store(minutes=i * 130, status="error" if i % 5 == 0 else "success",
                   page={"site": site} if site else None)
    with app.app_context():
        account_id = account_id_of(user)
        for since, until in ((T0 - timedelta(days=1), T0 + timedelta(days=3)),
                             (T0 + timedelta(minutes=100), T0 + timedelta(minutes=1500))):
            args = {"since": since, "until": until}
            assert (stats.top_sites(account_id, args, limit=2)
                    == stats._top_sites_of_runs(account_id, args, limit=2))
        whole = stats.top_sites(account_id, {"since": T0 - timedelta(days=1),
                                             "until": T0 + timedelta(days=3)})
        assert [(s["site"], s["runs"]) for s in whole] == [("b.example", 9), ("a.example", 6),
                                                         ("c.example", 3)]


def test_account_deletion_takes_its_counters(app, user):
    user.store()
    with app.app_context():
        account_id = account_id_of(user)
        assert rollups.stored(account_id) and rollups.stored_sites(account_id)
        assert rollups.stored_blocks(account_id)
        from companion_api.models import Account
        accounts.erase(db.session.get(Account, account_id))
        assert rollups.stored(account_id) == {} and rollups.stored_sites(account_id) == {}
        assert rollups.stored_blocks(account_id) == {}


def test_the_migration_buckets_runs_as_the_app_does():
    spec = importlib.util.spec_from_file_location("migration_0003", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert tuple(migration._duration_floors()) == rollups.DURATION_FLOORS
    assert rollups.duration_floor(0) == 0 and rollups.duration_floor(86_400_000) < 86_400_000
    assert rollups.DURATION_FLOORS[-1] >= 2**31  # every int4 duration has a bucket


def load_migration(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def test_the_block_migration_places_blocks_as_the_app_does():
    migration = load_migration(BLOCKS_MIGRATION)
    assert migration.SPANS == rollups.SPANS
    for dialect in ("sqlite", "postgresql"):
        for span in rollups.SPANS:
            assert migration._block_start(dialect, span) == rollups.block_start_sql(dialect, span)


def test_the_database_places_a_day_in_the_block_python_does(app):
    """block_start_sql (rebuild, migration 0005) and block_start (every write) agree, on days
    far apart, before and after a block's edge."""
    days = [date(1, 1, 1), date(1969, 12, 31), date(1970, 1, 1), date(2024, 2, 29),
            date(2025, 1, 13), date(2025, 1, 14), date(2025, 3, 19), date(9999, 12, 31)]
    with app.app_context():
        dialect = db.engine.dialect.name
        for span in rollups.SPANS:
            for day in days:
                got = db.session.scalar(sa.text(
                    f"SELECT {rollups.block_start_sql(dialect, span)} FROM (SELECT :day AS day) d"
                ).bindparams(sa.bindparam("day", type_=sa.Date)).columns(day=sa.Date), {"day": day})
                assert str(got) == str(rollups.block_start(day, span)), (span, day)


@given(first=st.dates(date(1, 1, 1), date(9000, 1, 1)), days=st.integers(0, 3000))
def test_a_range_of_whole_days_is_its_edge_days_and_aligned_blocks_once_each(first, days):
    last = first + timedelta(days=days)
    ranges = rollups._ranges(first, last)
    assert tuple(span for span, _lo, _hi in ranges) == rollups.CELL_LEVELS
    covered = []
    for span, lo, hi in ranges:
        assert lo <= hi and (hi - lo).days % span == 0
        for start in (lo + timedelta(days=k) for k in range(0, (hi - lo).days, span)):
            assert rollups.block_start(start, span) == start
            covered += [start + timedelta(days=k) for k in range(span)]
    assert sorted(covered) == [first + timedelta(days=k) for k in range(days)]
    assert sum(1 for span, lo, hi in ranges if span == 1 for _ in range((hi - lo).days)) <= 6


instants = st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1)).map(
    lambda t: t.replace(tzinfo=timezone.utc))


@given(since=instants, length=st.one_of(st.timedeltas(timedelta(0), timedelta(days=2)),
                                        st.timedeltas(timedelta(0), timedelta(days=400))),
       probes=st.lists(st.timedeltas(timedelta(days=-2), timedelta(days=403)), max_size=30))
def test_a_range_is_whole_days_plus_and_minus_at_most_half_a_day_at_each_end(since, length,
                                                                              probes):
    until = since + length
    first, last, pieces = rollups._counted_days(since, until)
    assert len(pieces) == 2 and first.time() == last.time() == time() and first <= last
    for a, b, sign in pieces:
        assert a <= b and b - a <= timedelta(hours=12) and sign in (1, -1)
    edges = [since, until, first, last, *(t for a, b, _ in pieces for t in (a, b))]
    for t in edges + [e - timedelta(microseconds=1) for e in edges] + [since + p for p in probes]:
        counted = (first <= t < last) + sum(sign for a, b, sign in pieces if a <= t < b)
        assert counted == (since <= t < until), t
