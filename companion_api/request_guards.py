"""Checks every request passes before routing-specific code runs, and headers every response
gets."""
from flask import request
from flask_smorest import abort

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def require_json_body():
    """Refuse a non-JSON body with 400: webargs would silently read it as 'no body'."""
    if request.method not in _BODY_METHODS:
        return
    if request.blueprint == "dashboard":  # its HTML forms post form data, CSRF-checked
        return
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if has_body and not request.is_json:
        abort(
            400,
            message="Request bodies must be JSON (Content-Type: application/json).",
            error_code="bad_content_type",
        )


def no_sniffing(response):
    """Every response, API and dashboard: browsers must take the declared Content-Type."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def init_app(app):
    app.before_request(require_json_body)
    app.after_request(no_sniffing)
