"""Chatrun companion API: create_app() builds the Flask app (no app exists at import time)."""
import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config, dashboard, database, errors, ratelimits, request_guards
from .errors import ChatrunApi
from .text import SafeJSONProvider
from .schema_base import TextConverter
from .extensions import cors, db, migrate

def create_app(test_config=None):
    """Build the app from environment defaults, overridden by test_config when given."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_env(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.json = SafeJSONProvider(app)
    app.json.sort_keys = False

    proxies = app.config["CHATRUN_TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=database.MIGRATIONS_DIR)
    ratelimits.init_app(app)
    cors.init_app(app, resources={r"/api/.*": {"origins": app.config["CHATRUN_EXTENSION_ORIGINS"]}},
                  allow_headers=["Authorization", "Content-Type"],
                  expose_headers=["Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                                  "X-RateLimit-Reset"],
                  supports_credentials=False, max_age=600)
    request_guards.init_app(app)
    errors.init_app(app)
    # Before the API: the dashboard's `/` must be matched ahead of the API's index document.
    dashboard.init_app(app)

    app.url_map.converters["text"] = TextConverter
    api = ChatrunApi(app)
    api.register_converter(TextConverter, lambda _converter: {"type": "string"})
    from .resources import register_blueprints

    register_blueprints(api)
    if not app.debug:
        logging.basicConfig(level=logging.INFO)
    return app
