"""The runs a page is about: filters from the query string (+ checked ids) as filter_runs args."""
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import request

from ..models import Execution
from ..services import devices, queries
from .forms import FilterForm

TEXT_FILTERS = ("q", "language", "status", "site", "device")


@dataclass
class Selection:
    form: FilterForm
    args: dict  # for services.queries.filter_runs
    params: dict = field(default_factory=dict)  # the valid filters, to carry into links
    ids: list = field(default_factory=list)  # checked runs (execution ids), if any

    @property
    def filtered(self):
        return bool(self.params)

    def query(self, **extra):
        """Query-string items for a link to the same selection."""
        items = dict(self.params)
        if self.ids:
            items["id"] = [str(i) for i in self.ids]
        items.update(extra)
        return items


TZ_COOKIE = "chatrun_tz"  # the browser's IANA time zone, set by static/dashboard/dashboard.js


def _day_start(day, tz=timezone.utc):
    return datetime.combine(day, time.min, tzinfo=tz)


def browser_zone():
    """The time zone the browser shows times in (its cookie), UTC when unknown: the history's
    From/To days are that zone's days, like the times in the table."""
    name = request.cookies.get(TZ_COOKIE, "")
    try:
        return ZoneInfo(name) if name and len(name) <= 64 else timezone.utc
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return timezone.utc


def read_selection(account, source=None):
    """Read the filters; an invalid one is reported on the form and ignored."""
    source = request.args if source is None else source
    form = FilterForm(source)
    form.set_choices(queries.distinct_values(account.id, Execution.language),
                     devices.for_account(account.id))
    form.validate()
    args, params = {}, {}
    for name in TEXT_FILTERS:
        fld = form[name]
        value = (fld.data or "").strip()
        if value and not fld.errors:
            params[name] = value
            args[name] = uuid.UUID(value) if name == "device" else value
    for name in ("since", "until"):
        fld = form[name]
        if fld.data and not fld.errors:
            params[name] = fld.data.isoformat()
    zone = browser_zone()
    if "since" in params:
        args["since"] = _day_start(form.since.data, zone)
    if "until" in params:  # the "to" day is included
        args["until"] = _day_start(form.until.data + timedelta(days=1), zone)
    ids = []
    for raw in source.getlist("id"):
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            continue
    if ids:
        args["execution_id"] = ids
    return Selection(form, args, params, ids)
