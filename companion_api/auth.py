"""Bearer-token authentication for the API blueprints.

Only the Authorization header is read, never cookies: a page the user visits cannot make the
browser send credentials on its behalf, so API routes need no CSRF protection.
"""
from flask import g, request
from flask_smorest import abort

from .services import devices

_UNSET = object()


def bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_device():
    """Return the Device of this request's valid token, or None; resolved once per request."""
    device = g.get("_chatrun_device", _UNSET)
    if device is _UNSET:
        token = bearer_token()
        device = devices.by_token(token) if token else None
        g._chatrun_device = device
    return device


def require_token():
    """before_request hook for private blueprints: 401 unless a live device token is sent."""
    if request.method == "OPTIONS":  # CORS preflight carries no credentials
        return
    device = current_device()
    if device is None:
        abort(
            401,
            message="A valid bearer token is required.",
            headers={"WWW-Authenticate": 'Bearer realm="chatrun"'},
        )
    devices.touch(device)


def current_account_id():
    return current_device().account_id
