"""Aggregates over a date range, computed in the database (portable SQL only)."""
import math
from datetime import timedelta

from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import func, select

from ...auth import current_account_id
from ...blueprints import private_blueprint
from ...extensions import db
from ...models import STATUSES, Execution
from ...models.types import utcnow
from ...services.queries import filter_runs
from .schemas import StatsQuerySchema, StatsSchema

blp = private_blueprint("stats", "/api/v1/stats", "Run statistics.")
DEFAULT_RANGE = timedelta(days=30)


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

        # One grouped scan gives all three breakdowns (at most days x languages x statuses rows).
        day = func.date(Execution.timestamp)
        by_status = dict.fromkeys(STATUSES, 0)
        days, languages = {}, {}
        for d, lang, status, n in db.session.execute(
                base.with_only_columns(day, Execution.language, Execution.status, func.count())
                .group_by(day, Execution.language, Execution.status)):
            ok = n if status == "success" else 0
            by_status[status] += n
            for table, key in ((days, str(d)), (languages, lang)):
                runs_, successes = table.get(key, (0, 0))
                table[key] = (runs_ + n, successes + ok)
        runs = sum(by_status.values())
        per_day = [{"date": d, "runs": n, "successes": s} for d, (n, s) in sorted(days.items())]
        per_language = [{"language": lang, "runs": n, "success_rate": s / n}
                        for lang, (n, s) in sorted(languages.items(),
                                                   key=lambda kv: (-kv[1][0], kv[0]))]
        return {
            "since": since, "until": until, "runs": runs,
            "success_rate": by_status["success"] / runs if runs else None,
            "by_status": by_status, "per_day": per_day, "per_language": per_language,
            "duration_ms": {"p50": _percentile(base, runs, 50), "p95": _percentile(base, runs, 95)},
        }
