"""Liveness for load balancers, and a root document pointing at the API."""
import logging

import marshmallow as ma
from flask import url_for
from flask.views import MethodView

from ...blueprints import PUBLIC, public_blueprint
from ...database import ping, schema_is_current
from ...ratelimits import limiter

log = logging.getLogger(__name__)
blp = public_blueprint("health", "/", "Service health.")
# Probes from load balancers must never be refused by the limiter they are checking.
limiter.exempt(blp)


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"description": "ok | unavailable"})
    database = ma.fields.String(required=True, metadata={"description": "ok | unreachable"})
    schema = ma.fields.String(required=True, metadata={
        "description": "ok (at the migrations' head) | behind (run `flask db upgrade`) | unknown"})
    limiter = ma.fields.String(required=True, metadata={"description": "ok | unreachable"})


class IndexSchema(ma.Schema):
    name = ma.fields.String(required=True)
    api = ma.fields.String(required=True)
    openapi = ma.fields.String(required=True)


def _check(probe):
    try:
        return "ok" if probe() is not False else "unreachable"
    except Exception:  # any failure means "not usable"; the detail goes to the log only
        log.exception("health probe failed")
        return "unreachable"


def _schema(database):
    """Whether the tables are the ones this code expects: an unmigrated database is reachable
    but fails every request."""
    if database != "ok":
        return "unknown"
    return "ok" if _check(schema_is_current) == "ok" else "behind"


@blp.route("healthz")
class Health(MethodView):
    @blp.doc(**PUBLIC)
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="A dependency is unreachable")
    def get(self):
        """Check the database, its schema revision and the rate-limit storage"""
        database = _check(ping)
        checks = {"database": database, "schema": _schema(database),
                  "limiter": _check(limiter.storage.check)}
        ok = all(v == "ok" for v in checks.values())
        return {"status": "ok" if ok else "unavailable", **checks}, 200 if ok else 503


@blp.route("")
class Index(MethodView):
    @blp.doc(**PUBLIC)
    @blp.response(200, IndexSchema)
    def get(self):
        """Point at the API (the dashboard will live here later)"""
        return {"name": "Chatrun companion API", "api": "/api/v1",
                "openapi": url_for("api-docs.openapi_json")}
