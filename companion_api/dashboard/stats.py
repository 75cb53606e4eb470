"""Stats: runs per day, success rate and p50/p95 duration per language, top sites."""
from datetime import timedelta

from flask import render_template, request
from wtforms import DateField, Form
from wtforms.validators import Optional

from ..models.types import utcnow
from ..services import stats
from . import bp
from .selection import _day_start
from .session import current_account, login_required

DEFAULT_DAYS = 30


class RangeForm(Form):
    since = DateField("From", [Optional()])
    until = DateField("To", [Optional()])


@bp.route("/stats")
@login_required
def stats_page():
    """Charts (and the same numbers as tables) over a date range, 30 days by default."""
    form = RangeForm(request.args)
    form.validate()
    until = form.until.data if form.until.data and not form.until.errors else utcnow().date()
    since = form.since.data if form.since.data and not form.since.errors else None
    if since is None or since > until:
        since = until - timedelta(days=DEFAULT_DAYS - 1)
    for fld, value in ((form.since, since), (form.until, until)):
        fld.data, fld.raw_data = value, None  # show the range used, not what was typed
    args = {"since": _day_start(since), "until": _day_start(until) + timedelta(days=1)}
    account_id = current_account().id
    data = stats.charts(account_id, args)
    data["runs"] = sum(d["runs"] for d in data["per_day"])
    data["successes"] = sum(d["successes"] for d in data["per_day"])
    return render_template("dashboard/stats.html", form=form, data=data)
