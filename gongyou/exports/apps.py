from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Exports of any list a user can see, to CSV, Excel and Parquet."""

    name = "gongyou.exports"
    label = "exports"
    verbose_name = _("Exports")
