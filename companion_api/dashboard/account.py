"""Devices (list, rename, revoke) and the account (delete with all its data)."""
from flask import flash, redirect, render_template, url_for
from sqlalchemy import func, select

from ..extensions import db
from ..models import Execution
from ..ratelimits import account_key, auth_ip_limit, password_account_limit
from ..resources.accounts import service as accounts
from ..services import devices
from . import bp
from .forms import ConfirmForm, DeleteAccountForm, RenameDeviceForm
from .session import current_account, login_required, owned_or_404, sign_out


@bp.route("/devices")
@login_required
def device_list():
    """List devices with a rename form each, and revoke buttons for live ones."""
    return render_template("dashboard/devices.html",
                           devices=devices.for_account(current_account().id), form=ConfirmForm())


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


@bp.route("/account", methods=["GET", "POST"])
@auth_ip_limit()
@password_account_limit(lambda: account_key(getattr(current_account(), "email", None)))
@login_required
def account_page():
    """Show the account; delete it with all its data after a typed confirmation."""
    account = current_account()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if accounts.authenticate(account.email, form.password.data) is None:
            form.password.errors.append("Wrong password.")
        else:
            accounts.erase(account)
            sign_out()
            flash("Your account and all its data were deleted.")
            return redirect(url_for("dashboard.login"))
    counts = {
        "runs": db.session.scalar(select(func.count()).where(Execution.account_id == account.id)),
        "devices": len(devices.for_account(account.id)),
    }
    status = 422 if form.is_submitted() else 200
    return render_template("dashboard/account.html", account=account, form=form,
                           counts=counts), status
