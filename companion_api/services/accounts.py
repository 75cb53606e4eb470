"""Account lifecycle: create, authenticate, issue device tokens, count, change the password,
erase everything."""
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Account, DashboardSession, Device, Execution, RunRollup, ShareLink
from ..passwords import check_password, hash_password
from ..tokens import DEVICE_TOKEN_PREFIX, new_token, token_hash


def issue_device(account, name):
    """Create a device for the account and return (device, token); only the hash is kept."""
    token = new_token(DEVICE_TOKEN_PREFIX)
    device = Device(account=account, name=name, token_hash=token_hash(token))
    db.session.add(device)
    return device, token


def login(account, device_name):
    """A new named device with its token for an authenticated account: (device, token)."""
    device, token = issue_device(account, device_name)
    db.session.commit()
    return device, token


def counts(account_id):
    """{"runs": all the account's runs, "devices": its live (not revoked) devices}."""
    return {
        "runs": db.session.scalar(select(func.count()).where(Execution.account_id == account_id)),
        "devices": db.session.scalar(select(func.count()).where(
            Device.account_id == account_id, Device.revoked_at.is_(None))),
    }


def register(email, password, device_name):
    """Return (account, device, token), or None when the email is taken."""
    account = Account(email=email.lower(), password_hash=hash_password(password))
    db.session.add(account)
    device, token = issue_device(account, device_name)
    try:
        db.session.commit()
    except IntegrityError:
        # The unique email index decides races between two registrations of one address.
        db.session.rollback()
        return None
    return account, device, token


def authenticate(email, password):
    account = db.session.scalar(select(Account).where(Account.email == email.lower()))
    ok = check_password(account.password_hash if account else None, password)
    return account if ok else None


def change_password(account, password):
    account.password_hash = hash_password(password)
    db.session.commit()


def erase(account):
    """Delete the account and all its data with set-based deletes (no loading 100k rows)."""
    for model in (ShareLink, Execution, RunRollup, Device, DashboardSession):
        db.session.execute(delete(model).where(model.account_id == account.id))
    db.session.execute(delete(Account).where(Account.id == account.id))
    db.session.commit()
