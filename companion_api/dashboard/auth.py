"""Sign in and out of the dashboard (a session of its own, not a device token)."""
from flask import current_app, flash, redirect, render_template, request, url_for

from ..ratelimits import auth_ip_limit, password_account_limit, sent_email_key
from ..services import accounts
from . import bp
from .forms import LoginForm
from .session import current_account, is_loopback, safe_next, sign_in, sign_out


# One budget with the API's register/login: guessing passwords here is no cheaper.
@bp.route("/login", methods=["GET", "POST"])
@auth_ip_limit()
@password_account_limit(sent_email_key)
def login():
    """Show the login form; sign in with email and password."""
    target = safe_next(request.args.get("next"))
    if current_account() is not None:
        return redirect(target)
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        account = accounts.authenticate(form.email.data, form.password.data)
        if account is not None:
            sign_in(account)
            return redirect(target)
        form.password.errors.append("Wrong email or password.")
        status = 401
    elif form.is_submitted():
        status = 422
    # The cookie is Secure off loopback: over plain http the browser would drop it.
    needs_https = not (request.is_secure or current_app.testing or is_loopback(request.host))
    return render_template("dashboard/login.html", form=form, needs_https=needs_https), status


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (a POST with the CSRF token, so no other site can sign the user out)."""
    sign_out()
    flash("Signed out.")
    return redirect(url_for("dashboard.login"))
