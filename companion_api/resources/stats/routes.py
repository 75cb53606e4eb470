"""Aggregates over a date range (services/stats.py computes them, for the dashboard too)."""
from datetime import timedelta

from flask.views import MethodView
from flask_smorest import abort

from ...auth import current_account_id
from ...blueprints import private_blueprint
from ...models.types import utcnow
from ...services import stats
from .schemas import StatsQuerySchema, StatsSchema

blp = private_blueprint("stats", "/api/v1/stats", "Run statistics.")
DEFAULT_RANGE = timedelta(days=30)


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
        return {"since": since, "until": until,
                **stats.overview(current_account_id(), {"since": since, "until": until})}
