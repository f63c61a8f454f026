from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bulk imports of workers, stations, visits and settlement histories from CSV and Excel files."""

    name = "gongyou.imports"
    label = "imports"
    verbose_name = _("Imports")
