"""The history dashboard: server-rendered pages at `/`, a session cookie and CSRF-checked forms.

The session is the dashboard's own: API routes read only the Authorization header, so the
cookie never authenticates an API call (and a page the user runs cannot ride on it).
"""
from flask import Blueprint, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

bp = Blueprint("dashboard", __name__)
csrf = CSRFProtect()

# form-action and base-uri do not fall back to default-src: without them an injected <form> or
# <base> could send a form (with its CSRF token) or relative links elsewhere.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")


def init_app(app):
    """Register the dashboard; call before the API's blueprints so that `/` is the dashboard's
    rule (it hands non-HTML clients on to the API's index document)."""
    from . import session

    app.config["SESSION_COOKIE_NAME"] = "chatrun_session"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.config.setdefault("DASHBOARD_PAGE_SIZE", 25)
    # Only the dashboard's forms are CSRF-checked: the JSON API takes Bearer tokens only.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    # The token lives as long as the session; SameSite=Strict already stops cross-site posts.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.session_interface = session.DashboardSessionInterface()
    csrf.init_app(app)

    from . import account, auth, history, runs, shared, stats  # noqa: F401  (routes on bp)

    app.register_blueprint(bp)


@bp.before_request
def check_csrf():
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()


@bp.before_request
def this_device():
    from .session import note_this_device

    return note_this_device()


@bp.after_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    # same-origin, not no-referrer: Flask-WTF checks the Referer of HTTPS form posts.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.errorhandler(CSRFError)
def csrf_error(error):
    return render_template("dashboard/error.html", status=400, title="Form expired",
                           message="The form was missing its security token or it had "
                                   "expired. Go back, reload the page and try again."), 400


@bp.errorhandler(HTTPException)
def http_error(error):
    """HTML errors for dashboard pages (the API keeps its JSON error envelope)."""
    if error.code is None or error.code < 400:
        return error
    # Keep protocol headers (Allow on 405, Retry-After on 429).
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return render_template("dashboard/error.html", status=error.code, title=error.name,
                           message=error.description), error.code, headers


@bp.context_processor
def template_globals():
    from .session import current_account

    return {"signed_in": current_account() is not None}
