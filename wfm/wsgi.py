"""WSGI entry point for gunicorn: `gunicorn wfm.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")
application = get_wsgi_application()
