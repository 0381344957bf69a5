"""App config for the project shell: settings, root URLs, the Celery app and the commands that
drive every app (demo, web_demo). It holds no models and no app imports it."""

from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "wfm"
    # "wfm" is the organisation's label (organisation/apps.py).
    label = "shell"
    verbose_name = "WFM project"
