"""Aggregates over a date range, computed in the database (portable SQL only)."""
import math
from datetime import timedelta

from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import case, func, select

from ...auth import current_account_id
from ...blueprints import private_blueprint
from ...extensions import db
from ...models import STATUSES, Execution
from ...models.types import utcnow
from ...services.queries import filter_runs
from .schemas import StatsQuerySchema, StatsSchema

blp = private_blueprint("stats", "/api/v1/stats", "Run statistics.")
DEFAULT_RANGE = timedelta(days=30)
_success = func.sum(case((Execution.status == "success", 1), else_=0))


def _percentile(base, n, pct):
    """Nearest-rank percentile via ORDER BY/OFFSET: SQLite has no percentile_cont."""
    if n == 0:
        return None
    rank = max(math.ceil(pct / 100 * n), 1)
    return db.session.scalar(base.with_only_columns(Execution.execution_time_ms)
                             .order_by(Execution.execution_time_ms).offset(rank - 1).limit(1))


@blp.route("")
class Stats(MethodView):
    @blp.arguments(StatsQuerySchema, location="query")
    @blp.response(200, StatsSchema)
    def get(self, args):
        """Runs per day and per language, success rate and p50/p95 duration"""
        until = args.get("until") or utcnow()
        since = args.get("since") or until - DEFAULT_RANGE
        if since > until:
            abort(422, message="The request did not validate.",
                  errors={"since": ["Must not be after until."]})
        base = filter_runs(select(Execution.id), current_account_id(),
                           {"since": since, "until": until})

        by_status = dict.fromkeys(STATUSES, 0)
        for status, n in db.session.execute(
                base.with_only_columns(Execution.status, func.count())
                .group_by(Execution.status)):
            by_status[status] = n
        runs = sum(by_status.values())

        day = func.date(Execution.timestamp)
        per_day = [{"date": str(d), "runs": n, "successes": s} for d, n, s in db.session.execute(
            base.with_only_columns(day, func.count(), _success).group_by(day).order_by(day))]
        per_language = [
            {"language": lang, "runs": n, "success_rate": s / n}
            for lang, n, s in db.session.execute(
                base.with_only_columns(Execution.language, func.count(), _success)
                .group_by(Execution.language).order_by(func.count().desc(), Execution.language))]
        return {
            "since": since, "until": until, "runs": runs,
            "success_rate": by_status["success"] / runs if runs else None,
            "by_status": by_status, "per_day": per_day, "per_language": per_language,
            "duration_ms": {"p50": _percentile(base, runs, 50), "p95": _percentile(base, runs, 95)},
        }
