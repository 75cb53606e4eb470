"""One run: its code, output, page and device, its other runs, and its share links."""
from flask import Response, flash, redirect, render_template, request, url_for

from ..services import ingest, queries, shares
from . import bp
from .forms import ConfirmForm
from .render import highlight_css
from .session import current_account, login_required, owned_or_404, safe_next

OTHER_RUNS_MAX = 50


@bp.route("/runs/<uuid:execution_id>")
@login_required
def run_detail(execution_id):
    """Show a run with highlighted code, its output, and its runs on other devices."""
    run = owned_or_404(ingest.find, execution_id, "run")
    others = [r for r in queries.artifact_runs(run.account_id, run.artifact_uuid,
                                               OTHER_RUNS_MAX + 1) if r.id != run.id]
    return render_template("dashboard/run.html", run=run, others=others[:OTHER_RUNS_MAX],
                           links=shares.for_account(run.account_id, run.id), form=ConfirmForm())


@bp.route("/runs/<uuid:execution_id>/share", methods=["POST"])
@login_required
def share_run(execution_id):
    """Create a read-only link; its token is shown on this one page and stored only hashed."""
    run = owned_or_404(ingest.find, execution_id, "run")
    _share, token = shares.create(run)
    return render_template("dashboard/share_created.html", run=run,
                           url=shares.link("dashboard.shared_run", token)), 201


@bp.route("/shares")
@login_required
def share_list():
    """List the account's share links, revoked ones included."""
    return render_template("dashboard/shares.html", links=shares.for_account(current_account().id),
                           form=ConfirmForm())


@bp.route("/shares/<uuid:share_id>/revoke", methods=["POST"])
@login_required
def revoke_share(share_id):
    """Revoke a link: it answers 404 from now on."""
    owned_or_404(shares.revoke, share_id, "share link")
    flash("Share link revoked.")
    return redirect(safe_next(request.form.get("next") or url_for("dashboard.share_list")))


@bp.route("/highlight.css")
def highlight_stylesheet():
    """The syntax-highlighting classes of the installed Pygments."""
    return Response(highlight_css(), mimetype="text/css",
                    headers={"Cache-Control": "public, max-age=86400"})
