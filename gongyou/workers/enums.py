from django.db import models
from django.utils.translation import gettext_lazy as _


class MigrationScope(models.TextChoices):
    """Where the worker works relative to their hukou (derived from the two region codes).

    The survey's 'local' means inside the home township; the registry knows counties, so
    'local' here means inside the home county — an approximation stated on the indicator pages.
    """

    LOCAL = "local", _("Local (within home county)")
    WITHIN_PROVINCE = "within_province", _("Outbound, within province")
    CROSS_PROVINCE = "cross_province", _("Outbound, cross-province")


class ConsentPurpose(models.TextChoices):
    REGISTRY = "registry", _("Registration and programme services")
    CONTACT = "contact", _("Contact about jobs, training and activities")
    SHARING = "sharing", _("Sharing with partner departments for referrals")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Signed paper form")
    VERBAL = "verbal", _("Verbal, recorded by staff")
    ONLINE = "online", _("Online (the worker's own account)")


class RevealField(models.TextChoices):
    NATIONAL_ID = "national_id", _("ID number")
    PHONE = "phone", _("Mobile number")


class RevealPurpose(models.TextChoices):
    """Why personal data is revealed (PIPL Art. 6: a definite, reasonable purpose). The code is
    stored in the audit row with the free-text detail; `other` needs the detail."""

    CASE = "case", _("Handling the worker's case")
    CONTACT = "contact", _("Contacting the worker")
    VERIFY = "verify", _("Checking the worker's identity")
    REFERRAL = "referral", _("Referral to a partner department")
    OTHER = "other", _("Other (say why)")


class DuplicateReason(models.TextChoices):
    """Why two workers may be one person (duplicate review)."""

    NAME_BIRTH_HUKOU = "name_birth_hukou", _("Same name, birth date and hukou region")
    PHONE = "phone", _("Same mobile")
