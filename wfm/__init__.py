"""WFM project package: settings, URLs, the Celery app and the organisation."""

from wfm.celery import app as celery_app

__all__ = ["celery_app"]
