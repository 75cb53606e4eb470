"""Devices (list, rename, revoke), dashboard sessions (list, end), and the account (change the
password, delete it with all its data)."""
from flask import abort, flash, redirect, render_template, url_for

from ..ratelimits import account_key, auth_ip_limit, password_account_limit
from ..services import accounts, devices, sessions
from . import bp
from .forms import ChangePasswordForm, ConfirmForm, DeleteAccountForm, RenameDeviceForm
from .session import (current_account, current_session, login_required, owned_or_404, sign_out,
                      this_device_id)


@bp.route("/devices")
@login_required
def device_list():
    """List devices with a rename form each, and revoke buttons for live ones."""
    account_id = current_account().id
    return render_template("dashboard/devices.html", devices=devices.for_account(account_id),
                           sessions=sessions.for_account(account_id), current=current_session(),
                           this_device=this_device_id(), form=ConfirmForm())


@bp.route("/devices/<uuid:device_id>/rename", methods=["POST"])
@login_required
def rename_device(device_id):
    """Rename a device (the name the extension and the history show)."""
    device = owned_or_404(devices.find, device_id, "device")
    form = RenameDeviceForm()
    if not form.validate_on_submit():
        flash("A device name is 1 to 100 characters.", "error")
    else:
        devices.rename(device, form.name.data.strip() or device.name)
        flash(f"Renamed to “{device.name}”.")
    return redirect(url_for("dashboard.device_list"))


@bp.route("/devices/<uuid:device_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_device(device_id):
    """Ask, then revoke a device: its token stops working at once."""
    device = owned_or_404(devices.find, device_id, "device")
    form = ConfirmForm()
    if form.validate_on_submit():
        devices.revoke(device)
        flash(f"Revoked “{device.name}”: it can no longer sync.")
        return redirect(url_for("dashboard.device_list"))
    return render_template("dashboard/revoke_device.html", device=device, form=form)


@bp.route("/sessions/<uuid:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    """Sign out one browser (this one included)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        if session_id == current_session().public_id:
            return _signed_out("Signed out.")
        if not sessions.end(current_account().id, session_id=session_id):
            abort(404, description="No such session.")
        flash("That browser is signed out.")
    return redirect(url_for("dashboard.device_list"))


@bp.route("/sessions/end-all", methods=["POST"])
@login_required
def end_all_sessions():
    """Sign out everywhere: every dashboard session of the account, this one included."""
    sessions.end(current_account().id)
    return _signed_out("Signed out everywhere.")


def _signed_out(message):
    sign_out()
    flash(message)
    return redirect(url_for("dashboard.login"))


def _account_page(delete_form=None, password_form=None, status=200):
    account = current_account()
    return render_template("dashboard/account.html", account=account,
                           counts=accounts.counts(account.id),
                           form=delete_form or DeleteAccountForm(formdata=None),
                           password_form=password_form or ChangePasswordForm(formdata=None)), status


def checks_password(view):
    """Signed-in pages whose POST checks the account's password: limited per IP and, for
    failures, per account (one budget with the API's login and account deletion)."""
    def signed_in_account():
        return account_key(getattr(current_account(), "email", None))

    return auth_ip_limit()(password_account_limit(signed_in_account)(login_required(view)))


def _password_ok(account, field):
    """Check the typed password (each failure spends the account's password budget)."""
    if accounts.authenticate(account.email, field.data) is None:
        field.errors.append("Wrong password.")
        return False
    return True


@bp.route("/account", methods=["GET", "POST"])
@checks_password
def account_page():
    """Show the account; delete it with all its data after a typed confirmation."""
    account = current_account()
    form = DeleteAccountForm()
    if form.validate_on_submit() and _password_ok(account, form.password):
        accounts.erase(account)
        return _signed_out("Your account and all its data were deleted.")
    return _account_page(delete_form=form, status=422 if form.is_submitted() else 200)


@bp.route("/account/password", methods=["POST"])
@checks_password
def change_password():
    """Change the password; every other dashboard session ends (device tokens stay)."""
    account = current_account()
    form = ChangePasswordForm()
    if form.validate_on_submit() and _password_ok(account, form.current):
        accounts.change_password(account, form.new.data)
        ended = sessions.end(account.id, keep=current_session())
        flash(f"Password changed; {ended} other browser session{'s' if ended != 1 else ''} "
              "signed out.")
        return redirect(url_for("dashboard.account_page"))
    return _account_page(password_form=form, status=422)
