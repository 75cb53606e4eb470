"""Run statistics for the API's /stats and the dashboard's charts, computed in the database
(SQLite and PostgreSQL): one implementation of each number."""
from sqlalchemy import case, func, null, or_, select

from ..extensions import db
from ..models import STATUSES, Execution
from .queries import filter_runs

_successes = func.sum(case((Execution.status == "success", 1), else_=0))
PERCENTILES = (50, 95)


def per_day(account_id, args):
    """[{date, runs, successes}] for the UTC days that had runs, oldest first."""
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
    stmt = filter_runs(select(Execution.page_site, func.count(), _successes), account_id, args)
    stmt = (stmt.where(Execution.page_site.is_not(None)).group_by(Execution.page_site)
            .order_by(func.count().desc(), Execution.page_site).limit(limit))
    return [{"site": site, "runs": n, "success_rate": s / n}
            for site, n, s in db.session.execute(stmt)]


def overview(account_id, args):
    """Everything the API's /stats answers for the selection (usually a date range)."""
    by_status = dict.fromkeys(STATUSES, 0)
    stmt = filter_runs(select(Execution.status, func.count()), account_id, args)
    by_status.update(db.session.execute(stmt.group_by(Execution.status)).all())
    runs = sum(by_status.values())
    overall = _duration_percentiles(account_id, args, group=None).get(None, {})
    return {
        "runs": runs, "success_rate": by_status["success"] / runs if runs else None,
        "by_status": by_status, "per_day": per_day(account_id, args),
        "per_language": per_language(account_id, args),
        "duration_ms": {"p50": overall.get(50), "p95": overall.get(95)},
    }
