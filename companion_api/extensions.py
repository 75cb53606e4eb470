"""The Flask extensions, created unbound so every module can import them (factory pattern)."""
from flask_cors import CORS
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase

from .ratelimits import client_key, default_limit


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
cors = CORS()
# Limits come from config in init_app; the default key is the account when a token is valid.
limiter = Limiter(key_func=client_key, default_limits=[default_limit])
