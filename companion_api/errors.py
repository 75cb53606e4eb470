"""Every error, from a view, webargs, the router, the limiter or a crash, as one JSON shape:
{"error": {"code": <slug>, "message": <text>, "fields": {<dotted.path>: [<messages>]}}}.
"""
import logging

import marshmallow as ma
from flask import current_app, request
from flask_smorest import Api
from werkzeug.exceptions import BadRequest, HTTPException

log = logging.getLogger(__name__)

SLUGS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    417: "expectation_failed",
    422: "validation_error",
    429: "rate_limited",
    431: "header_fields_too_large",
    500: "internal_error",
    501: "not_implemented",
    503: "unavailable",
}


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Stable machine-readable slug"})
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Dotted field path -> messages (validation errors only)"},
    )


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorBodySchema, required=True)


class PayloadTooLarge(HTTPException):
    """Raised from schema hooks: marshmallow would fold a ValidationError into a 422."""

    code = 413

    def __init__(self, field, message):
        super().__init__(description=message)
        self.data = {"message": message, "errors": {field: [message]}}


def flatten(messages, prefix=""):
    """Turn marshmallow's nested error dict into {"output.0.type": ["..."]}."""
    flat = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten(value, path))
    elif isinstance(messages, list) and not all(isinstance(m, str) for m in messages):
        for value in messages:
            flat.update(flatten(value, prefix))
    else:
        msgs = messages if isinstance(messages, list) else [messages]
        flat.setdefault(prefix or "_schema", []).extend(str(m) for m in msgs)
    return flat


def _webargs_fields(messages):
    # webargs nests errors under the location ("json", "query"); clients only need field paths.
    flat = {}
    for location_errors in messages.values():
        flat.update(flatten(location_errors))
    return flat


def error_body(status, message, fields=None, code=None):
    body = {"code": code or SLUGS.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


class ChatrunApi(Api):
    """flask-smorest Api whose error handler and documented error schema use our envelope."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        if status == 500:
            # Never echo internals; the traceback goes to the log.
            original = getattr(error, "original_exception", None)
            log.error("unhandled error on %s %s", request.method, request.path,
                      exc_info=original)
            message = "Internal server error."
        elif status == 429:
            message = f"Rate limit exceeded ({error.description}); retry after Retry-After seconds."
        else:
            message = data.get("message") or error.description or error.name
        fields = None
        if "errors" in data:
            fields = flatten(data["errors"])
        elif "messages" in data:
            fields = _webargs_fields(data["messages"])
            if status == 400 and any("Invalid JSON" in m for v in fields.values() for m in v):
                message, fields = "Request body is not valid JSON.", None
            elif status == 422:
                message = "The request did not validate."
        headers = dict(data.get("headers") or {})
        # Keep protocol headers werkzeug attaches (Allow on 405, Retry-After on 429/503).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                headers.setdefault(name, value)
        return error_body(status, message, fields, data.get("error_code")), status, headers


def _unprocessable(error):
    """Input that breaks a parser or a conversion (nesting past the recursion limit, a number
    too large for a float, text no codec takes) is the client's fault: 400, never 500."""
    log.warning("%s on %s %s", type(error).__name__, request.method, request.path,
                exc_info=error)
    return current_app.handle_http_exception(
        BadRequest(f"The request could not be processed ({type(error).__name__})."))


def init_app(app):
    for kind in (RecursionError, OverflowError, UnicodeError):
        app.register_error_handler(kind, _unprocessable)
