"""The Flask extensions, created unbound so every module can import them (factory pattern).
The limiter lives in ratelimits.py with its keys (it needs auth, which needs db from here)."""
from flask_cors import CORS
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
cors = CORS()
