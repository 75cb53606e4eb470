"""History: the filtered, searchable, paged table of runs; exports and deletes of a selection."""
import json
import math

from flask import current_app, flash, redirect, render_template, request, url_for

from ..models import Execution
from ..resources.exports.schemas import ExportSchema
from ..services import exports, notebook, queries
from . import bp
from .forms import ConfirmForm
from .selection import read_selection
from .session import current_account, login_required

CONFIRM_LIST_MAX = 50


def wants_html():
    """Browsers get the dashboard at `/`; API clients keep getting the index document."""
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


@bp.route("/")
def history():
    """List the runs matching the filters, newest first, a page at a time."""
    if not wants_html():
        return current_app.view_functions["health.Index"]()
    return _history()


@login_required
def _history():
    account = current_account()
    sel = read_selection(account)
    per_page = current_app.config["DASHBOARD_PAGE_SIZE"]
    total = queries.count_runs(account.id, sel.args)
    pages = max(math.ceil(total / per_page), 1)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    runs = queries.runs_at(account.id, sel.args, (page - 1) * per_page, per_page)
    sites = queries.distinct_values(account.id, Execution.page_site)
    return render_template("dashboard/history.html", sel=sel, runs=runs, total=total,
                           page=page, pages=pages, sites=sites)


@bp.route("/export")
@login_required
def export_page():
    """Say what an export of the selection holds (a notebook per language, and which kernel
    each declares) and offer the downloads."""
    account = current_account()
    sel = read_selection(account)
    languages = [{"language": language, "runs": n, "kernel": notebook.kernel_of(language)[0],
                  "preview": notebook.is_preview(language)}
                 for language, n in exports.language_counts(account.id, sel.args)]
    return render_template("dashboard/export.html", sel=sel, languages=languages,
                           total=sum(entry["runs"] for entry in languages),
                           max_export=current_app.config["CHATRUN_MAX_EXPORT"])


@bp.route("/export.<any(ipynb, json):fmt>")
@login_required
def export(fmt):
    """Download the selection (checked runs, else all matching the filters), oldest first: as
    JSON, or as notebooks (one language: its .ipynb; several: a .zip, one notebook each)."""
    account = current_account()
    runs, complete = exports.select_runs(account.id, read_selection(account).args)
    if fmt == "ipynb":
        return exports.notebooks_response(runs, complete)
    doc = ExportSchema().dump(exports.json_document(runs, complete))
    return exports.download(json.dumps(doc, ensure_ascii=False), "application/json", "json")


@bp.route("/runs/delete", methods=["GET", "POST"])
@login_required
def delete_runs():
    """Ask, then delete the selection (checked runs, else all matching the filters)."""
    account = current_account()
    sel = read_selection(account, request.values)
    form = ConfirmForm()
    if form.validate_on_submit():
        deleted = queries.delete_runs(account.id, sel.args)
        flash(f"Deleted {deleted} run{'s' if deleted != 1 else ''}.")
        return redirect(url_for("dashboard.history", **sel.params))
    total = queries.count_runs(account.id, sel.args)
    runs = queries.runs_at(account.id, sel.args, 0, CONFIRM_LIST_MAX)
    return render_template("dashboard/delete_runs.html", sel=sel, form=form, runs=runs,
                           total=total)
