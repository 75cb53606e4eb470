"""Who is signed in to the dashboard: the account id in Flask's signed session cookie."""
import functools
import ipaddress
import re
import uuid
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from ..extensions import db
from ..models import Account

_LOOPBACK_NAMES = {"localhost"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]")  # C0 controls, space and DEL


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
    session["account"] = str(account.public_id)


def sign_out():
    session.clear()


def current_account():
    """The signed-in Account, or None (also when it has since been deleted)."""
    if "account" not in g:
        account = None
        try:
            public_id = uuid.UUID(session.get("account", ""))
        except ValueError:
            public_id = None
        if public_id:
            account = db.session.scalar(select(Account).where(Account.public_id == public_id))
        g.account = account
    return g.account


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
