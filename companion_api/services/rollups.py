"""Daily run counters per account (models.RunRollup, per language and duration bucket, and
models.RunSiteRollup, per site): kept exact in the transaction that stores or deletes runs,
rebuilt from the runs by SQL statements, and read back as the statistics of a time range — whole
UTC days from the counters, the partial days at either end from the runs."""
import bisect
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import (Date, Integer, String, cast, delete, func, literal, null, or_, select,
                        text, type_coerce, union_all)

from ..database import upsert_adding
from ..extensions import db
from ..models import STATUSES, Execution, RunRollup, RunSiteRollup


def _duration_floors(ratio=1.08, limit=2**31):
    """Bucket floors in ms: 1 ms wide up to 25 ms, then each about 8 % wider than the last, so
    a percentile's bucket holds a few per cent of the runs at most."""
    floors = [0]
    while floors[-1] < limit:
        floors.append(max(floors[-1] + 1, int(floors[-1] * ratio)))
    return tuple(floors)


# Bucket i holds DURATION_FLOORS[i] <= ms < DURATION_FLOORS[i + 1]; the last floor is an end.
DURATION_FLOORS = _duration_floors()
KEY = ("account_id", "day", "language", "duration_floor")
SITE_KEY = ("account_id", "day", "has_site", "site")
SITE_COUNTS = ("runs", "successes")
# What the counters need of a run, in the order apply() takes it.
COUNTED = (Execution.timestamp, Execution.language, Execution.status, Execution.execution_time_ms,
           Execution.page_site)


def duration_floor(ms):
    return DURATION_FLOORS[bisect.bisect_right(DURATION_FLOORS, ms) - 1]


def bucket_end(floor):
    return DURATION_FLOORS[bisect.bisect_right(DURATION_FLOORS, floor)]


def apply(account_id, runs, sign):
    """Add (sign=1) or take away (sign=-1) runs given as COUNTED tuples (timestamp, language,
    status, execution_time_ms, page_site). Counter rows are written in key order, so concurrent
    writers of one account lock them in the same order and cannot deadlock."""
    deltas, sites = defaultdict(Counter), defaultdict(Counter)
    for ts, language, status, ms, site in runs:
        deltas[(ts.date(), language, duration_floor(ms))][status] += sign
        counts = sites[(ts.date(), site is not None, site or "")]
        counts["runs"] += sign
        counts["successes"] += sign if status == "success" else 0
    rows = [{"account_id": account_id, "day": day, "language": language, "duration_floor": fl,
             **{s: counts[s] for s in STATUSES}}
            for (day, language, fl), counts in sorted(deltas.items())]
    site_rows = [{"account_id": account_id, "day": day, "has_site": has_site, "site": site,
                  **{c: counts[c] for c in SITE_COUNTS}}
                 for (day, has_site, site), counts in sorted(sites.items())]
    if rows:
        upsert_adding(RunRollup.__table__, rows, KEY, STATUSES)
    if site_rows:
        upsert_adding(RunSiteRollup.__table__, site_rows, SITE_KEY, SITE_COUNTS)
    if sign < 0 and rows:
        days = sorted({r["day"] for r in rows})
        db.session.execute(delete(RunRollup).where(
            RunRollup.account_id == account_id, RunRollup.day.in_(days),
            *(getattr(RunRollup, s) == 0 for s in STATUSES)))
        db.session.execute(delete(RunSiteRollup).where(
            RunSiteRollup.account_id == account_id, RunSiteRollup.day.in_(days),
            RunSiteRollup.runs == 0))


def _rebuild_sql(where):
    """INSERT … SELECT of every counter row from the runs (the migration holds its own copy)."""
    floors = DURATION_FLOORS
    buckets = ", ".join(f"({lo}, {hi})" for lo, hi in zip(floors, floors[1:]))
    counts = ", ".join(f"SUM(CASE WHEN e.status = '{s}' THEN 1 ELSE 0 END)" for s in STATUSES)
    return text(
        f"WITH b(lo, hi) AS (VALUES {buckets}) "
        f"INSERT INTO run_rollups ({', '.join(KEY)}, {', '.join(STATUSES)}) "
        f"SELECT e.account_id, date(e.timestamp), e.language, b.lo, {counts} "
        f"FROM executions e JOIN b ON e.execution_time_ms >= b.lo AND e.execution_time_ms < b.hi "
        f"{where} GROUP BY e.account_id, date(e.timestamp), e.language, b.lo")


# The per-site counters from the runs (migration 0004 holds its own copy).
REBUILD_SITES = (
    "INSERT INTO run_site_rollups (account_id, day, has_site, site, runs, successes) "
    "SELECT account_id, date(timestamp), page_site IS NOT NULL, COALESCE(page_site, ''), "
    "COUNT(*), SUM(CASE WHEN status = 'success' THEN 1 ELSE 0 END) FROM executions "
    "WHERE account_id = :account "
    "GROUP BY account_id, date(timestamp), page_site IS NOT NULL, COALESCE(page_site, '')")


def rebuild(account_id):
    """Recount one account's counters from its runs (after rows were loaded around the app)."""
    for model in (RunRollup, RunSiteRollup):
        db.session.execute(delete(model).where(model.account_id == account_id))
    db.session.execute(_rebuild_sql("WHERE e.account_id = :account"), {"account": account_id})
    db.session.execute(text(REBUILD_SITES), {"account": account_id})
    db.session.commit()


def recount(account_id):
    """{(day, language, floor): {status: n}} straight from the runs (what the counters must be)."""
    out = {}
    stmt = select(*COUNTED).where(Execution.account_id == account_id)
    for ts, language, status, ms, _site in db.session.execute(stmt):
        out.setdefault((ts.date(), language, duration_floor(ms)), Counter())[status] += 1
    return {k: dict(v) for k, v in out.items()}


def stored(account_id):
    """The counters as they are, in the shape of recount()."""
    stmt = select(RunRollup).where(RunRollup.account_id == account_id)
    return {(r.day, r.language, r.duration_floor):
            {s: getattr(r, s) for s in STATUSES if getattr(r, s)}
            for r in db.session.scalars(stmt)}


def recount_sites(account_id):
    """{(day, site or None): (runs, successes)} straight from the runs."""
    out = defaultdict(lambda: [0, 0])
    stmt = select(*COUNTED).where(Execution.account_id == account_id)
    for ts, _language, status, _ms, site in db.session.execute(stmt):
        counts = out[(ts.date(), site)]
        counts[0] += 1
        counts[1] += status == "success"
    return {k: tuple(v) for k, v in out.items()}


def stored_sites(account_id):
    """The per-site counters as they are, in the shape of recount_sites()."""
    stmt = select(RunSiteRollup).where(RunSiteRollup.account_id == account_id)
    return {(r.day, r.site if r.has_site else None): (r.runs, r.successes)
            for r in db.session.scalars(stmt)}


class Tally:
    """The counts of a time range: per day (runs, successes), per (language, duration floor) a
    Counter of statuses and, when asked for, per site (runs, successes)."""

    def __init__(self):
        self.days = defaultdict(lambda: [0, 0])
        self.cells = defaultdict(Counter)
        self.sites = defaultdict(lambda: [0, 0])


def _midnight(value):
    return datetime.combine(value.date(), time(), tzinfo=value.tzinfo)


def _whole_days(since, until):
    """(first whole day's start, end of the last whole day): both are since/until when the range
    falls inside one day."""
    first = _midnight(since)
    if first < since:
        first += timedelta(days=1)
    last = _midnight(until)
    return (first, last) if first < last else (until, until)


def utc(value):
    """Days are UTC days: naive means UTC, aware is converted."""
    return (value.replace(tzinfo=timezone.utc) if value.tzinfo is None
            else value.astimezone(timezone.utc))


def _typed(value, type_):
    """A column of one part of a UNION ALL, typed alike in every part: a NULL gets a CAST (an
    untyped one would not do on PostgreSQL), a column only its Python type (SQLite's CAST AS DATE
    would make '2025-01-01' the number 2025)."""
    return cast(null(), type_) if value is None else type_coerce(value, type_)


def _counter_parts(account_id, first, last, sites):
    """One statement over the counters of whole days [first, last): rows of (part, day, name,
    floor, a, b, c, d) — part 0 a cell (language, floor: counts per status), 1 a day (runs,
    successes), 2 a site (runs, successes)."""
    def row(part, day=None, name=None, floor=None, *counts):
        counts = counts + (None,) * (4 - len(counts))
        return [literal(part, Integer).label("part"), _typed(day, Date).label("day"),
                _typed(name, String).label("name"), _typed(floor, Integer).label("floor"),
                *(_typed(c, Integer).label(k) for c, k in zip(counts, "abcd"))]

    def in_days(model):
        return (model.account_id == account_id, model.day >= first.date(),
                model.day < last.date())

    site_counts = (func.sum(RunSiteRollup.runs), func.sum(RunSiteRollup.successes))
    parts = [
        select(*row(0, None, RunRollup.language, RunRollup.duration_floor,
                    *(func.sum(getattr(RunRollup, s)) for s in STATUSES)))
        .where(*in_days(RunRollup)).group_by(RunRollup.language, RunRollup.duration_floor),
        # Days from the per-site counters: a few rows a day, not one per language and bucket.
        select(*row(1, RunSiteRollup.day, None, None, *site_counts))
        .where(*in_days(RunSiteRollup)).group_by(RunSiteRollup.day),
    ]
    if sites:
        parts.append(select(*row(2, None, RunSiteRollup.site, None, *site_counts))
                     .where(*in_days(RunSiteRollup), RunSiteRollup.has_site)
                     .group_by(RunSiteRollup.site))
    return union_all(*parts)


def tally(account_id, since, until, sites=False):
    """Count the runs with since <= timestamp < until (UTC, see utc()): the whole days from the
    counters in one statement, the partial days at either end from the runs in another."""
    out = Tally()
    first, last = _whole_days(since, until)
    if first < last:
        for part, day, name, fl, *counts in db.session.execute(
                _counter_parts(account_id, first, last, sites)):
            if part == 0:
                out.cells[(name, fl)].update(dict(zip(STATUSES, counts)))
            elif part == 1 and counts[0]:
                out.days[day] = [counts[0], counts[1]]
            elif part == 2 and counts[0]:
                out.sites[name] = [counts[0], counts[1]]
    edges = [(a, b) for a, b in ((since, first), (last, until)) if a < b]
    if edges:
        stmt = select(*COUNTED).where(
            Execution.account_id == account_id,
            or_(*((Execution.timestamp >= a) & (Execution.timestamp < b) for a, b in edges)))
        for ts, language, status, ms, site in db.session.execute(stmt):
            out.cells[(language, duration_floor(ms))][status] += 1
            for counts in ([out.days[ts.date()]] + ([out.sites[site]] if sites and site is not None
                                                    else [])):
                counts[0] += 1
                counts[1] += status == "success"
    return out


def percentiles(account_id, since, until, groups, percents):
    """{group: {p: ms}} by nearest rank, for groups given as {language (None: every run):
    {floor: n}}. The bucket holding each rank comes from the counts; the value from that
    bucket's runs (an index range), every lookup in one statement."""
    out, lookups = {}, []
    for group, cells in groups.items():
        out[group] = {}
        n = sum(cells.values())
        for p in percents:
            if not n:
                out[group][p] = None
                continue
            rank = (p * n + 99) // 100  # nearest rank: the least k with k * 100 >= p * n
            below = 0
            for fl in sorted(cells):
                if below + cells[fl] >= rank:
                    break
                below += cells[fl]
            if bucket_end(fl) == fl + 1:
                out[group][p] = fl  # a 1 ms bucket holds one value
            else:
                lookups.append((group, p, fl, rank - below))
    if lookups:
        parts = [select(literal(i, Integer).label("i"),
                        _in_bucket(account_id, since, until, fl, rank, group).c.ms)
                 for i, (group, _p, fl, rank) in enumerate(lookups)]
        stmt = parts[0] if len(parts) == 1 else union_all(*parts)
        for i, ms in db.session.execute(stmt):
            group, p, _fl, _rank = lookups[i]
            out[group][p] = ms
    return out


def _in_bucket(account_id, since, until, floor, rank, language):
    """The rank-th smallest duration among the runs in [floor, its bucket's end)."""
    stmt = select(Execution.execution_time_ms.label("ms")).where(
        Execution.account_id == account_id, Execution.execution_time_ms >= floor,
        Execution.execution_time_ms < bucket_end(floor), Execution.timestamp >= since,
        Execution.timestamp < until)
    if language is not None:
        stmt = stmt.where(Execution.language == language)
    return stmt.order_by(Execution.execution_time_ms).offset(rank - 1).limit(1).subquery()
