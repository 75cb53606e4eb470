"""gunicorn entry point: `gunicorn -c companion_api/gunicorn.conf.py companion_api.wsgi:app`."""
from . import create_app

app = create_app()
