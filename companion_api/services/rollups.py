"""Daily run counters per account (models.RunRollup, per language and duration bucket, summed
again over aligned blocks of days in models.RunBlockRollup, and models.RunSiteRollup, per site):
kept exact in the transaction that stores or deletes runs, rebuilt from the runs by SQL
statements, and read back as the statistics of a time range — whole UTC days from the counters
(whole blocks from the block counters), the partial days at either end from the runs."""
import bisect
import functools
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Date, Integer, String, bindparam, delete, select, text

from ..database import upsert_adding
from ..extensions import db
from ..models import STATUSES, Execution, RunBlockRollup, RunRollup, RunSiteRollup


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
# Block counters: RunRollup's rows summed over blocks of SPANS days, a block starting on a day
# whose number (days since 0001-01-01, date.toordinal() - 1) is a multiple of its span. A range
# of whole days is then at most 3 edge days and 3 blocks of each span at either end, plus 64-day
# blocks: ~2,000 counter rows for 90 busy days instead of ~14,000 (one more row per span to
# write per cell).
SPANS = (4, 16, 64)
BLOCK_KEY = ("account_id", "span", "day", "language", "duration_floor")
SITE_KEY = ("account_id", "day", "has_site", "site")
SITE_COUNTS = ("runs", "successes")
# What the counters need of a run, in the order apply() takes it.
COUNTED = (Execution.timestamp, Execution.language, Execution.status, Execution.execution_time_ms,
           Execution.page_site)


def duration_floor(ms):
    return DURATION_FLOORS[bisect.bisect_right(DURATION_FLOORS, ms) - 1]


def bucket_end(floor):
    return DURATION_FLOORS[bisect.bisect_right(DURATION_FLOORS, floor)]


def block_start(day, span):
    """The first day of the span-day block holding day."""
    return day - timedelta(days=(day.toordinal() - 1) % span)


def blocks_of(cells):
    """{(span, block's first day, language, floor): Counter of statuses} from day cells
    {(day, language, floor): {status: n}}: what the block counters hold."""
    out = defaultdict(Counter)
    for (day, language, fl), counts in cells.items():
        for span in SPANS:
            out[(span, block_start(day, span), language, fl)].update(counts)
    return out


def counter_rows(account_id, runs, sign):
    """The counter rows that add (sign=1) or take away (sign=-1) runs given as COUNTED tuples
    (timestamp, language, status, execution_time_ms, page_site): [(table, rows, key, counted
    columns)] for the day, block and site counters that change, in the order they are written;
    each table's rows in key order, so concurrent writers of one account lock them in the same
    order and cannot deadlock."""
    deltas, sites = defaultdict(Counter), defaultdict(Counter)
    for ts, language, status, ms, site in runs:
        deltas[(ts.date(), language, duration_floor(ms))][status] += sign
        counts = sites[(ts.date(), site is not None, site or "")]
        counts["runs"] += sign
        counts["successes"] += sign if status == "success" else 0
    rows = [{"account_id": account_id, "day": day, "language": language, "duration_floor": fl,
             **{s: counts[s] for s in STATUSES}}
            for (day, language, fl), counts in sorted(deltas.items())]
    block_rows = [{"account_id": account_id, "span": span, "day": day, "language": language,
                   "duration_floor": fl, **{s: counts[s] for s in STATUSES}}
                  for (span, day, language, fl), counts in sorted(blocks_of(deltas).items())]
    site_rows = [{"account_id": account_id, "day": day, "has_site": has_site, "site": site,
                  **{c: counts[c] for c in SITE_COUNTS}}
                 for (day, has_site, site), counts in sorted(sites.items())]
    if not rows:
        return []
    return [(RunRollup.__table__, rows, KEY, STATUSES),
            (RunBlockRollup.__table__, block_rows, BLOCK_KEY, STATUSES),
            (RunSiteRollup.__table__, site_rows, SITE_KEY, SITE_COUNTS)]


def apply(account_id, runs, sign):
    """Add (sign=1) or take away (sign=-1) runs given as COUNTED tuples: the day, block and
    site counters (see counter_rows); counter rows taken down to zero are deleted."""
    changes = counter_rows(account_id, runs, sign)
    for table, rows, key, counted in changes:
        upsert_adding(table, rows, key, counted)
    if sign > 0 or not changes:
        return
    (_, rows, _, _), (_, block_rows, _, _), _ = changes
    days = sorted({r["day"] for r in rows})
    for model, changed in ((RunRollup, rows), (RunBlockRollup, block_rows)):
        db.session.execute(delete(model).where(
            model.account_id == account_id, model.day.in_(sorted({r["day"] for r in changed})),
            *(getattr(model, s) == 0 for s in STATUSES)))
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


def block_start_sql(dialect, span):
    """SQL for block_start(day, span) of the column day (migration 0005 holds its own copy)."""
    if dialect == "postgresql":
        return f"day - ((day - DATE '0001-01-01') % {span})"
    # julianday('0001-01-01') is 1721425.5: day numbers as date.toordinal() - 1.
    return f"date(julianday(day) - (CAST(julianday(day) - 1721425.5 AS INTEGER) % {span}))"


def rebuild_blocks_sql(dialect, where=""):
    """INSERT … SELECT statements (one per span) of every block counter row from the day
    counters."""
    sums = ", ".join(f"SUM({s})" for s in STATUSES)
    return [f"INSERT INTO run_block_rollups ({', '.join(BLOCK_KEY)}, {', '.join(STATUSES)}) "
            f"SELECT account_id, {span}, {start}, language, duration_floor, {sums} "
            f"FROM run_rollups {where} GROUP BY account_id, {start}, language, duration_floor"
            for span, start in ((span, block_start_sql(dialect, span)) for span in SPANS)]


def rebuild(account_id):
    """Recount one account's counters from its runs (after rows were loaded around the app)."""
    for model in (RunRollup, RunBlockRollup, RunSiteRollup):
        db.session.execute(delete(model).where(model.account_id == account_id))
    db.session.execute(_rebuild_sql("WHERE e.account_id = :account"), {"account": account_id})
    for statement in rebuild_blocks_sql(db.engine.dialect.name, "WHERE account_id = :account"):
        db.session.execute(text(statement), {"account": account_id})
    db.session.execute(text(REBUILD_SITES), {"account": account_id})
    db.session.commit()


def recount(account_id):
    """{(day, language, floor): {status: n}} straight from the runs (what the counters must be)."""
    out = {}
    stmt = select(*COUNTED).where(Execution.account_id == account_id)
    for ts, language, status, ms, _site in db.session.execute(stmt):
        out.setdefault((ts.date(), language, duration_floor(ms)), Counter())[status] += 1
    return {k: dict(v) for k, v in out.items()}


def _stored_counts(model, key, account_id):
    """{key columns but the account: {status: n (not 0)}} of one account's rows of model."""
    stmt = select(model).where(model.account_id == account_id)
    return {tuple(getattr(r, k) for k in key[1:]):
            {s: getattr(r, s) for s in STATUSES if getattr(r, s)}
            for r in db.session.scalars(stmt)}


def stored(account_id):
    """The counters as they are, in the shape of recount()."""
    return _stored_counts(RunRollup, KEY, account_id)


def stored_blocks(account_id):
    """The block counters as they are, in the shape of blocks_of(recount())."""
    return _stored_counts(RunBlockRollup, BLOCK_KEY, account_id)


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


STATUS_INDEX = {s: i for i, s in enumerate(STATUSES)}


class Tally:
    """The counts of a time range: per day (runs, successes), per (language, duration floor) a
    list of counts in STATUSES' order and, when asked for, per site (runs, successes)."""

    def __init__(self):
        self.days = defaultdict(lambda: [0, 0])
        self.cells = defaultdict(lambda: [0] * len(STATUSES))
        self.sites = defaultdict(lambda: [0, 0])


def _midnight(value):
    return datetime.combine(value.date(), time(), tzinfo=value.tzinfo)


def _counted_days(since, until):
    """(first, last, pieces): the range as the counters of the whole days [first, last) plus or
    minus the runs of at most two pieces (a, b, sign) of the days at either end. Each end day is
    taken from its runs inside the range, or whole from the counters less its runs outside it,
    whichever covers less of the day (a range ending now subtracts a future with no runs)."""
    day = timedelta(days=1)
    start, end = _midnight(since), _midnight(until)
    if start == end:  # inside one day: its runs, or the day less both ends
        if (until - since) * 2 <= day:
            return start, start, [(since, until, 1), (until, until, 1)]
        return start, start + day, [(start, since, -1), (until, start + day, -1)]
    first, last, pieces = start, end, []
    if since > start:
        if (since - start) * 2 < day:
            pieces.append((start, since, -1))
        else:
            first += day
            pieces.append((since, first, 1))
    else:
        pieces.append((since, since, 1))
    if until > end:
        if (until - end) * 2 > day:
            last += day
            pieces.append((until, last, -1))
        else:
            pieces.append((end, until, 1))
    else:
        pieces.append((until, until, 1))
    return first, last, pieces


def utc(value):
    """Days are UTC days: naive means UTC, aware is converted."""
    return (value.replace(tzinfo=timezone.utc) if value.tzinfo is None
            else value.astimezone(timezone.utc))


def _ranges(first, last):
    """[first, last) in whole days as (span, lo, hi) counter ranges, span 1 the day counters and
    lo/hi the first days of blocks: up to 3 edge days and 3 blocks of each smaller span at either
    end, the largest blocks in the middle. Always as many ranges (some empty), in the same order
    of spans, so the statement is the same for every range."""
    lo, hi = first.toordinal() - 1, last.toordinal() - 1
    out = []
    for span, wider in zip((1, *SPANS), SPANS):
        inner_lo, inner_hi = -(-lo // wider) * wider, hi // wider * wider
        if inner_lo >= inner_hi:  # no wider block fits: this span covers the rest
            out += [(span, lo, hi), (span, hi, hi)]
            lo = hi
        else:
            out += [(span, lo, inner_lo), (span, inner_hi, hi)]
            lo, hi = inner_lo, inner_hi
    out.append((SPANS[-1], lo, hi))
    return [(span, date.fromordinal(a + 1), date.fromordinal(b + 1)) for span, a, b in out]


# The span of each range _ranges() gives: the same for every range.
CELL_LEVELS = tuple(span for span, _lo, _hi in _ranges(date(2000, 1, 1), date(2000, 1, 2)))
_COUNTS = ", ".join(STATUSES)


@functools.cache
def _tally_sql(sites):
    """The whole days' counters in one statement: rows of (part, day, name, floor, a, b, c, d) —
    part 0 a cell (language, floor: counts per status) summed over the day and block ranges
    (:lo0/:hi0 … in _ranges' order), 1 a day (runs, successes), 2 a site (runs, successes).
    Compiled once (text): building it with SQLAlchemy's constructs cost more than running it."""
    sources = " UNION ALL ".join(
        f"SELECT language, duration_floor, {_COUNTS} FROM run_rollups WHERE account_id = :account "
        f"AND day >= :lo{i} AND day < :hi{i}" if span == 1 else
        f"SELECT language, duration_floor, {_COUNTS} FROM run_block_rollups "
        f"WHERE account_id = :account AND span = {span} AND day >= :lo{i} AND day < :hi{i}"
        for i, span in enumerate(CELL_LEVELS))
    in_days = "account_id = :account AND day >= :first AND day < :last"
    sql = (f"SELECT 0 AS part, CAST(NULL AS DATE) AS day, language AS name, duration_floor AS floor, "
           f"{', '.join(f'SUM({s})' for s in STATUSES)} FROM ({sources}) cells "
           f"GROUP BY language, duration_floor "
           f"UNION ALL SELECT 1, day, CAST(NULL AS VARCHAR(255)), CAST(NULL AS INTEGER), SUM(runs), "
           f"SUM(successes), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER) "
           f"FROM run_site_rollups WHERE {in_days} GROUP BY day")
    if sites:
        sql += (" UNION ALL SELECT 2, CAST(NULL AS DATE), site, CAST(NULL AS INTEGER), SUM(runs), "
                "SUM(successes), CAST(NULL AS INTEGER), CAST(NULL AS INTEGER) "
                f"FROM run_site_rollups WHERE {in_days} AND has_site GROUP BY site")
    days = [f"{edge}{i}" for i in range(len(CELL_LEVELS)) for edge in ("lo", "hi")]
    return text(sql).bindparams(bindparam("account", type_=Integer),
                                *(bindparam(d, type_=Date) for d in ("first", "last", *days))
                                ).columns(day=Date)


@functools.cache
def _pieces_sql():
    """The runs of _counted_days' two pieces, each with its sign (:sign0, :sign1): what a run
    adds to the counts."""
    run = ("SELECT {sign}, date(timestamp) AS day, language, status, execution_time_ms, "
           "page_site FROM executions WHERE account_id = :account AND timestamp >= :a{i} "
           "AND timestamp < :b{i}")
    stamp = Execution.timestamp.type
    # Not grouped in SQL: a GROUP BY of a few hundred runs cost SQLite more than Python's loop.
    return text(
        f"{run.format(sign=':sign0', i=0)} UNION ALL {run.format(sign=':sign1', i=1)}"
    ).bindparams(bindparam("account", type_=Integer), bindparam("sign0", type_=Integer),
                 bindparam("sign1", type_=Integer),
                 *(bindparam(f"{edge}{i}", type_=stamp) for edge in "ab" for i in (0, 1))
                 ).columns(day=Date)


def tally(account_id, since, until, sites=False):
    """Count the runs with since <= timestamp < until (UTC, see utc()): whole days from the
    counters in one statement, the runs of the end days' pieces in another."""
    out = Tally()
    first, last, pieces = _counted_days(since, until)
    if first < last:
        params = {"account": account_id, "first": first.date(), "last": last.date()}
        for i, (_span, lo, hi) in enumerate(_ranges(first.date(), last.date())):
            params[f"lo{i}"], params[f"hi{i}"] = lo, hi
        for part, day, name, fl, *counts in db.session.execute(_tally_sql(sites), params):
            if part == 0:
                out.cells[(name, fl)] = counts
            elif part == 1:
                out.days[day] = [counts[0], counts[1]]
            elif part == 2:
                out.sites[name] = [counts[0], counts[1]]
    if any(a < b for a, b, _sign in pieces):
        params = {"account": account_id}
        for i, (a, b, sign) in enumerate(pieces):
            params.update({f"a{i}": a, f"b{i}": b, f"sign{i}": sign})
        for n, day, language, status, ms, site in db.session.execute(_pieces_sql(), params):
            out.cells[(language, duration_floor(ms))][STATUS_INDEX[status]] += n
            success = n if status == "success" else 0
            for counts in ([out.days[day]] + ([out.sites[site]] if sites and site is not None
                                              else [])):
                counts[0] += n
                counts[1] += success
    # A day or site whose runs all fell outside the range was taken off to nothing.
    out.days = {d: c for d, c in out.days.items() if c[0]}
    out.sites = {site: c for site, c in out.sites.items() if c[0]}
    return out


def percentiles(account_id, since, until, groups, percents):
    """{group: {p: ms}} by nearest rank, for groups given as {language (None: every run):
    {floor: n}}. The bucket holding each rank comes from the counts; the value from that
    bucket's runs (an index range read from its nearer end), every lookup in one statement."""
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
                lookups.append((group, p, fl, rank - below, cells[fl]))
    if lookups:
        # The k-th smallest of the bucket's n runs is the (n - k + 1)-th largest.
        shape = tuple((group is not None, 2 * k > n) for group, _p, _fl, k, n in lookups)
        params = {"account": account_id, "since": since, "until": until}
        for i, (group, _p, fl, k, n) in enumerate(lookups):
            params.update({f"lo{i}": fl, f"hi{i}": bucket_end(fl),
                           f"skip{i}": n - k if shape[i][1] else k - 1})
            if group is not None:
                params[f"lang{i}"] = group
        for i, ms in db.session.execute(_lookup_sql(shape), params):
            group, p, *_ = lookups[i]
            out[group][p] = ms
    return out


@functools.cache
def _lookup_sql(shape):
    """One UNION ALL of percentile lookups: for each (of one language?, from the top?) in shape,
    the run skip{i} places from the bottom (or top) of [lo{i}, hi{i}) ms within [since, until),
    through the (account_id, execution_time_ms, timestamp, language) index."""
    parts = []
    for i, (of_language, from_top) in enumerate(shape):
        language = f" AND language = :lang{i}" if of_language else ""
        parts.append(
            f"SELECT {i} AS i, ms FROM (SELECT execution_time_ms AS ms FROM executions "
            f"WHERE account_id = :account AND execution_time_ms >= :lo{i} "
            f"AND execution_time_ms < :hi{i} AND timestamp >= :since AND timestamp < :until"
            f"{language} ORDER BY execution_time_ms{' DESC' if from_top else ''} "
            f"LIMIT 1 OFFSET :skip{i}) AS lookup{i}")
    stamp = Execution.timestamp.type
    return text(" UNION ALL ".join(parts)).bindparams(
        bindparam("since", type_=stamp), bindparam("until", type_=stamp),
        *(bindparam(f"lang{i}", type_=String) for i, (of_language, _) in enumerate(shape)
          if of_language))
