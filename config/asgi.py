"""The ASGI application: what gunicorn_live.conf.py serves with uvicorn's worker (the reading view's live streams,
apps/live). It is the whole of Lector, so one ASGI server could serve everything, but the WSGI server
(gunicorn.conf.py) serves the rest faster: see README, "Live updates"."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()
