"""Register, log in (a token per named device), read and delete the account."""
from flask_smorest import abort

from ...auth import current_device
from ...blueprints import PUBLIC, private_blueprint, public_blueprint
from ...ratelimits import account_key, auth_ip_limit, password_account_limit, sent_email_key
from ...services import accounts as service
from .schemas import AccountDetailSchema, CredentialsSchema, DeleteAccountSchema, SessionSchema

auth_blp = public_blueprint("auth", "/api/v1/auth", "Register and log in (per-IP rate limited).")
account_blp = private_blueprint("account", "/api/v1/account", "The signed-in account.")


def _session(account, device, token, status):
    device.current = True
    return {"account": account, "device": device, "token": token}, status


def credentials_endpoint(path, *limits):
    """Register and login share their limit (per IP, against brute force), body and answer."""
    def decorate(view):
        for decorator in (auth_blp.response(201, SessionSchema),
                          auth_blp.arguments(CredentialsSchema),
                          auth_blp.doc(**PUBLIC),
                          *limits,
                          auth_ip_limit(),
                          auth_blp.route(path, methods=["POST"])):
            view = decorator(view)
        return view
    return decorate


@credentials_endpoint("/register")
def register(creds):
    """Create an account and a first device token"""
    created = service.register(creds["email"], creds["password"], creds["device_name"])
    if created is None:
        abort(409, message="An account with this email already exists.", error_code="email_taken")
    return _session(*created, 201)


@credentials_endpoint("/login", password_account_limit(sent_email_key))
def login(creds):
    """Log in and get a bearer token for a named device"""
    account = service.authenticate(creds["email"], creds["password"])
    if account is None:
        abort(401, message="Wrong email or password.", error_code="invalid_credentials")
    device, token = service.login(account, creds["device_name"])
    return _session(account, device, token, 201)


@account_blp.route("", methods=["GET"])
@account_blp.response(200, AccountDetailSchema)
def get_account():
    """Show the account of this token"""
    account = current_device().account
    counts = service.counts(account.id)
    account.device_count, account.execution_count = counts["devices"], counts["runs"]
    return account


@account_blp.route("/delete", methods=["POST"])
@auth_ip_limit()
@password_account_limit(lambda: account_key(current_device().account.email))
@account_blp.arguments(DeleteAccountSchema)
@account_blp.response(204)
def delete_account(args):
    """Delete the account with all its devices, runs and share links"""
    account = current_device().account
    if not service.authenticate(account.email, args["password"]):
        abort(403, message="Wrong password.", error_code="invalid_credentials")
    service.erase(account)
