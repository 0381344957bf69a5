"""The web interface app: templates, static files and translations; no models."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Web interface"
