from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "gongyou.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # Fill the registry: each module of definitions/ registers its indicators.
        from . import definitions  # noqa: F401
