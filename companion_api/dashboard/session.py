"""Who is signed in to the dashboard: Flask's signed cookie holds a session token whose record is
on the server (services/sessions.py), so ending the record ends the session everywhere."""
import functools
import ipaddress
import re
import uuid
from urllib.parse import urlencode, urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from ..services import devices, sessions

_LOOPBACK_NAMES = {"localhost"}
# The extension's links to the dashboard (popup, options) say which device they come from.
THIS_DEVICE_PARAM = "this_device"
_CONTROL = re.compile(r"[\x00-\x20\x7f]")  # C0 controls, space and DEL


# Flask asks on every response, API ones included (save_session reads the cookie settings
# first); a few hosts serve a deployment, and parsing one costs more than the lookup.
@functools.lru_cache(maxsize=64)
def is_loopback(host):
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.strip("[]").split("%")[0]
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class DashboardSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, Secure everywhere but on loopback and in tests (plain http)."""

    def get_cookie_secure(self, app):
        if app.config.get("SESSION_COOKIE_SECURE"):
            return True
        return not (app.testing or is_loopback(request.host))


def sign_in(account):
    session.clear()  # a fresh session (and CSRF token) per sign-in
    session.permanent = True
    session["sid"] = sessions.start(account, request.headers.get("User-Agent"))


def sign_out():
    """End this browser's session on the server, not only in its cookie."""
    found = current_session()
    if found is not None:
        sessions.end(found.account_id, session_id=found.public_id)
    session.clear()
    g.pop("dashboard_session", None)


def current_session():
    """This request's live DashboardSession, or None (signed out, ended elsewhere, expired,
    account deleted)."""
    if "dashboard_session" not in g:
        token = session.get("sid")
        g.dashboard_session = sessions.resolve(token if isinstance(token, str) else None,
                                               current_app.permanent_session_lifetime)
    return g.dashboard_session


def current_account():
    """The signed-in Account, or None."""
    found = current_session()
    return found.account if found is not None else None


def login_required(view):
    """Redirect to the login page, coming back here afterwards."""
    @functools.wraps(view)
    def wrapped(**kwargs):
        if current_account() is None:
            return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)
    return wrapped


def safe_next(target):
    """Only a path of this site may be a redirect target (no open redirect to another site).

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so
    `/<tab>/evil.example` and `/<backslash>evil.example` mean `//evil.example`: those characters
    go first, then the target must be a path with no scheme and no host."""
    cleaned = _CONTROL.sub("", target or "").replace("\\", "/")
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        parts = None
    if (parts and cleaned.startswith("/") and not cleaned.startswith("//")
            and not parts.scheme and not parts.netloc):
        return cleaned
    return url_for("dashboard.history")


def owned_or_404(lookup, public_id, what):
    """lookup(account_id, public_id) for the signed-in account; another account's record is a
    404, exactly like a missing one."""
    found = lookup(current_account().id, public_id)
    if found is None:
        abort(404, description=f"No such {what}.")
    return found


def note_this_device():
    """before_request: a link from the extension names its device (?this_device=<its public
    id>, never a token). Remember it in this browser's session when it is a device of the
    signed-in account, and go on to the same address without it. Signed out, the parameter
    waits in the login page's `next` and is taken after sign-in."""
    raw = request.args.get(THIS_DEVICE_PARAM)
    if raw is None or request.method != "GET" or current_account() is None:
        return None
    try:
        device = devices.find(current_account().id, uuid.UUID(raw))
    except ValueError:
        device = None
    if device is not None:
        session["device"] = str(device.public_id)
    rest = [(k, v) for k, v in request.args.items(multi=True) if k != THIS_DEVICE_PARAM]
    return redirect(request.path + (f"?{urlencode(rest)}" if rest else ""))


def this_device_id():
    """The public id of the device this browser's extension is signed in as, when a link from
    the extension told this session (else None)."""
    try:
        return uuid.UUID(session.get("device", ""))
    except (TypeError, ValueError):
        return None
