"""The public page of a share link: code and output only, nothing about the account."""
from flask import abort, render_template

from ..services import shares
from . import bp


@bp.route("/s/<string:token>")
def shared_run(token):
    """Show a shared run (no sign-in); unknown and revoked links are 404."""
    run = shares.shared_run(token)
    if run is None:
        abort(404, description="No such share link, or it was revoked.")
    response = render_template("dashboard/shared.html", run=run)
    return response, 200, {"X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}
