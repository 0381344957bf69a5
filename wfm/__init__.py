"""WFM's project shell: settings, root URLs, the Celery app and the demo command. It imports
every app; no app imports it."""

from wfm.celery import app as celery_app

__all__ = ["celery_app"]
