from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: set-up, serving, demo data. The top tier: it may use every app's services."""

    name = "gongyou.ops"
    label = "ops"
    verbose_name = "Operations"
