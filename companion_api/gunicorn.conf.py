"""gunicorn settings for a checkout: `gunicorn -c companion_api/gunicorn.conf.py ...`. They live
in companion_api/gunicorn_conf.py, which an installed package reaches as
`-c python:companion_api.gunicorn_conf`."""
from companion_api.gunicorn_conf import *  # noqa: F401,F403
