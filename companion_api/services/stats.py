"""Run statistics for the API's /stats and the dashboard's charts (SQLite and PostgreSQL).

A selection that is only a time range is read from the daily counters (services/rollups.py):
thousands of rows for months of runs. Any other filter counts the runs themselves. Both give
the same numbers (tests/api/test_rollups.py holds them to it)."""
from collections import Counter, defaultdict

from sqlalchemy import case, func, null, or_, select

from ..extensions import db
from ..models import STATUSES, Execution
from . import rollups
from .queries import filter_runs

_successes = func.sum(case((Execution.status == "success", 1), else_=0))
PERCENTILES = (50, 95)


def _range_only(args):
    """(since, until) in UTC when the selection is just a time range, else None."""
    if not (args.get("since") and args.get("until")):
        return None
    if any(v for k, v in args.items() if k not in ("since", "until")):
        return None
    return rollups.utc(args["since"]), rollups.utc(args["until"])


class _Counted:
    """One time range's numbers from the counters: tally once (one statement, a second for
    partial days), look every percentile up once (one statement), answer every part."""

    def __init__(self, account_id, since, until, sites=False):
        self.account_id, self.since, self.until = account_id, since, until
        self.tally = rollups.tally(account_id, since, until, sites=sites)
        self.by_language = {}  # language -> counts in STATUSES' order
        self.buckets = defaultdict(dict)  # language -> floor -> n
        for (language, fl), counts in self.tally.cells.items():
            if n := sum(counts):
                totals = self.by_language.setdefault(language, [0] * len(STATUSES))
                for i, c in enumerate(counts):
                    totals[i] += c
                self.buckets[language][fl] = n
        self._percentiles = None

    def per_day(self):
        return [{"date": str(d), "runs": n, "successes": s}
                for d, (n, s) in sorted(self.tally.days.items())]

    def percentiles(self, language):
        """{50: ms, 95: ms} of one language, or of every run with language None."""
        if self._percentiles is None:
            groups = dict(self.buckets)
            groups[None] = sum((Counter(b) for b in self.buckets.values()), Counter())
            self._percentiles = rollups.percentiles(self.account_id, self.since, self.until,
                                                    groups, PERCENTILES)
        return self._percentiles[language]

    def per_language(self):
        success = rollups.STATUS_INDEX["success"]
        rows = sorted(((sum(c), language, c[success]) for language, c in self.by_language.items()),
                      key=lambda r: (-r[0], r[1]))
        out = []
        for n, language, s in rows:
            pct = self.percentiles(language)
            out.append({"language": language, "runs": n, "success_rate": s / n,
                        "p50": pct[50], "p95": pct[95]})
        return out

    def by_status(self):
        return {s: sum(c[i] for c in self.by_language.values()) for i, s in enumerate(STATUSES)}

    def top_sites(self, limit):
        rows = sorted(((n, site, s) for site, (n, s) in self.tally.sites.items() if n),
                      key=lambda r: (-r[0], r[1]))[:limit]
        return [{"site": site, "runs": n, "success_rate": s / n} for n, site, s in rows]


def per_day(account_id, args):
    """[{date, runs, successes}] for the UTC days that had runs, oldest first."""
    if (span := _range_only(args)) is not None:
        return _Counted(account_id, *span).per_day()
    return _per_day_of_runs(account_id, args)


def _per_day_of_runs(account_id, args):
    day = func.date(Execution.timestamp)
    stmt = filter_runs(select(day, func.count(), _successes), account_id, args)
    return [{"date": str(d), "runs": n, "successes": s}
            for d, n, s in db.session.execute(stmt.group_by(day).order_by(day))]


def _duration_percentiles(account_id, args, group=Execution.language):
    """{group value: {50: ms, 95: ms}} by nearest rank, every group in one query; with group
    None, all the runs together under the key None."""
    ranked = filter_runs(select(
        (group if group is not None else null()).label("grp"), Execution.execution_time_ms,
        func.row_number().over(partition_by=group,
                               order_by=Execution.execution_time_ms).label("rn"),
        func.count().over(partition_by=group).label("n"),
    ), account_id, args).subquery()
    rn, n = ranked.c.rn, ranked.c.n
    # Nearest rank k = ceil(p/100 * n), in integers: (k-1)*100 < p*n <= k*100.
    at_rank = [(rn * 100 >= p * n) & ((rn - 1) * 100 < p * n) for p in PERCENTILES]
    picked = {}
    for key, ms in db.session.execute(
            select(ranked.c.grp, ranked.c.execution_time_ms).where(or_(*at_rank))):
        picked.setdefault(key, []).append(ms)
    # p50's rank is never above p95's, so sorted values are (p50, p95); one row may be both.
    return {key: {50: min(v), 95: max(v)} for key, v in picked.items()}


def per_language(account_id, args):
    """[{language, runs, success_rate, p50, p95}], most runs first."""
    if (span := _range_only(args)) is not None:
        return _Counted(account_id, *span).per_language()
    return _per_language_of_runs(account_id, args)


def _per_language_of_runs(account_id, args):
    stmt = filter_runs(select(Execution.language, func.count(), _successes), account_id, args)
    percentiles = _duration_percentiles(account_id, args)
    out = []
    for language, n, s in db.session.execute(
            stmt.group_by(Execution.language).order_by(func.count().desc(), Execution.language)):
        pct = percentiles.get(language, {})
        out.append({"language": language, "runs": n, "success_rate": s / n,
                    "p50": pct.get(50), "p95": pct.get(95)})
    return out


def top_sites(account_id, args, limit=10):
    """[{site, runs, success_rate}] for the sites with most runs (runs without a site skipped)."""
    if (span := _range_only(args)) is not None:
        return _Counted(account_id, *span, sites=True).top_sites(limit)
    return _top_sites_of_runs(account_id, args, limit)


def _top_sites_of_runs(account_id, args, limit=10):
    stmt = filter_runs(select(Execution.page_site, func.count(), _successes), account_id, args)
    stmt = (stmt.where(Execution.page_site.is_not(None)).group_by(Execution.page_site)
            .order_by(func.count().desc(), Execution.page_site).limit(limit))
    return [{"site": site, "runs": n, "success_rate": s / n}
            for site, n, s in db.session.execute(stmt)]


def charts(account_id, args, limit=10):
    """The dashboard's stats page: per_day, per_language and top_sites of one selection, a
    time range counted once."""
    if (span := _range_only(args)) is not None:
        counted = _Counted(account_id, *span, sites=True)
        return {"per_day": counted.per_day(), "per_language": counted.per_language(),
                "top_sites": counted.top_sites(limit)}
    return charts_of_runs(account_id, args, limit)


def charts_of_runs(account_id, args, limit=10):
    """charts() counted from the runs themselves, whatever the filters."""
    return {"per_day": _per_day_of_runs(account_id, args),
            "per_language": _per_language_of_runs(account_id, args),
            "top_sites": _top_sites_of_runs(account_id, args, limit)}


def _summary(by_status, per_day_, per_language_, overall):
    runs = sum(by_status.values())
    return {"runs": runs, "success_rate": by_status["success"] / runs if runs else None,
            "by_status": by_status, "per_day": per_day_, "per_language": per_language_,
            "duration_ms": {"p50": overall.get(50), "p95": overall.get(95)}}


def overview(account_id, args):
    """Everything the API's /stats answers for the selection (usually a date range)."""
    if (span := _range_only(args)) is None:
        return overview_of_runs(account_id, args)
    counted = _Counted(account_id, *span)
    return _summary(counted.by_status(), counted.per_day(), counted.per_language(),
                    counted.percentiles(None))


def overview_of_runs(account_id, args):
    """overview() counted from the runs themselves, whatever the filters."""
    by_status = dict.fromkeys(STATUSES, 0)
    stmt = filter_runs(select(Execution.status, func.count()), account_id, args)
    by_status.update(db.session.execute(stmt.group_by(Execution.status)).all())
    overall = _duration_percentiles(account_id, args, group=None).get(None, {})
    return _summary(by_status, _per_day_of_runs(account_id, args),
                    _per_language_of_runs(account_id, args), overall)
