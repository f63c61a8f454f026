from django.db import models
from django.utils.translation import gettext_lazy as _


class EmployerSize(models.TextChoices):
    """Enterprise size as in the NBS classification of large, medium, small and micro enterprises."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")
    UNKNOWN = "unknown", _("Unknown")
