"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")

app = Celery("wfm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
