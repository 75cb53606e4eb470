"""Daily run counters per account (models.RunRollup): kept exact in the transaction that stores
or deletes runs, rebuilt from the runs by one SQL statement, and read back as the statistics of
a time range — whole UTC days from the counters, the partial days at either end from the runs."""
import bisect
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import delete, func, or_, select, text

from ..database import upsert_adding
from ..extensions import db
from ..models import STATUSES, Execution, RunRollup


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
# What the counters need of a run, in the order apply() takes it.
COUNTED = (Execution.timestamp, Execution.language, Execution.status, Execution.execution_time_ms)
# One upsert statement at most this many counter rows (SQLite binds at most 32,766 values).
CHUNK = 2000


def duration_floor(ms):
    return DURATION_FLOORS[bisect.bisect_right(DURATION_FLOORS, ms) - 1]


def bucket_end(floor):
    return DURATION_FLOORS[bisect.bisect_right(DURATION_FLOORS, floor)]


def apply(account_id, runs, sign):
    """Add (sign=1) or take away (sign=-1) runs given as (timestamp, language, status,
    execution_time_ms) tuples. Counter rows are written in key order, so concurrent writers
    of one account lock them in the same order and cannot deadlock."""
    deltas = defaultdict(Counter)
    for ts, language, status, ms in runs:
        deltas[(ts.date(), language, duration_floor(ms))][status] += sign
    rows = [{"account_id": account_id, "day": day, "language": language, "duration_floor": fl,
             **{s: counts[s] for s in STATUSES}}
            for (day, language, fl), counts in sorted(deltas.items())]
    for start in range(0, len(rows), CHUNK):
        upsert_adding(RunRollup.__table__, rows[start:start + CHUNK], KEY, STATUSES)
    if sign < 0 and rows:
        days = sorted({r["day"] for r in rows})
        db.session.execute(delete(RunRollup).where(
            RunRollup.account_id == account_id, RunRollup.day.in_(days),
            *(getattr(RunRollup, s) == 0 for s in STATUSES)))


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


def rebuild(account_id):
    """Recount one account's counters from its runs (after rows were loaded around the app)."""
    db.session.execute(delete(RunRollup).where(RunRollup.account_id == account_id))
    db.session.execute(_rebuild_sql("WHERE e.account_id = :account"), {"account": account_id})
    db.session.commit()


def recount(account_id):
    """{(day, language, floor): {status: n}} straight from the runs (what the counters must be)."""
    out = {}
    stmt = select(*COUNTED).where(Execution.account_id == account_id)
    for ts, language, status, ms in db.session.execute(stmt):
        out.setdefault((ts.date(), language, duration_floor(ms)), Counter())[status] += 1
    return {k: dict(v) for k, v in out.items()}


def stored(account_id):
    """The counters as they are, in the shape of recount()."""
    stmt = select(RunRollup).where(RunRollup.account_id == account_id)
    return {(r.day, r.language, r.duration_floor):
            {s: getattr(r, s) for s in STATUSES if getattr(r, s)}
            for r in db.session.scalars(stmt)}


class Tally:
    """The counts of a time range: per day (runs, successes) and per (language, duration floor)
    a Counter of statuses."""

    def __init__(self):
        self.days = defaultdict(lambda: [0, 0])
        self.cells = defaultdict(Counter)


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


def tally(account_id, since, until):
    """Count the runs with since <= timestamp < until (UTC, see utc())."""
    out = Tally()
    first, last = _whole_days(since, until)
    if first < last:
        in_days = (RunRollup.account_id == account_id, RunRollup.day >= first.date(),
                   RunRollup.day < last.date())
        sums = [func.sum(getattr(RunRollup, s)) for s in STATUSES]
        stmt = (select(RunRollup.language, RunRollup.duration_floor, *sums).where(*in_days)
                .group_by(RunRollup.language, RunRollup.duration_floor))
        for language, fl, *counts in db.session.execute(stmt):
            out.cells[(language, fl)].update(dict(zip(STATUSES, counts)))
        total = sum(getattr(RunRollup, s) for s in STATUSES)
        stmt = (select(RunRollup.day, func.sum(total), func.sum(RunRollup.success))
                .where(*in_days).group_by(RunRollup.day))
        for day, runs, successes in db.session.execute(stmt):
            if runs:
                out.days[day] = [runs, successes]
    edges = [(a, b) for a, b in ((since, first), (last, until)) if a < b]
    if edges:
        stmt = select(*COUNTED).where(
            Execution.account_id == account_id,
            or_(*((Execution.timestamp >= a) & (Execution.timestamp < b) for a, b in edges)))
        for ts, language, status, ms in db.session.execute(stmt):
            out.cells[(language, duration_floor(ms))][status] += 1
            day = out.days[ts.date()]
            day[0] += 1
            day[1] += status == "success"
    return out


def percentiles(account_id, since, until, cells, percents, language=None):
    """{p: ms} by nearest rank among the runs counted in cells ({floor: n}): the bucket holding
    each rank comes from the counts, the value from that bucket's runs (an index range)."""
    n = sum(cells.values())
    out = {}
    for p in percents:
        if not n:
            out[p] = None
            continue
        rank = (p * n + 99) // 100  # nearest rank: the least k with k * 100 >= p * n
        below = 0
        for fl in sorted(cells):
            if below + cells[fl] >= rank:
                break
            below += cells[fl]
        out[p] = _value_in_bucket(account_id, since, until, fl, rank - below, language)
    return out


def _value_in_bucket(account_id, since, until, floor, rank, language):
    end = bucket_end(floor)
    if end == floor + 1:
        return floor
    stmt = select(Execution.execution_time_ms).where(
        Execution.account_id == account_id, Execution.execution_time_ms >= floor,
        Execution.execution_time_ms < end, Execution.timestamp >= since,
        Execution.timestamp < until)
    if language is not None:
        stmt = stmt.where(Execution.language == language)
    return db.session.scalar(stmt.order_by(Execution.execution_time_ms)
                             .offset(rank - 1).limit(1))
