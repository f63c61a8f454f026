"""Portal vocabularies and the two lifecycles (self-registrations, correction requests).

docs/domains/portal.md draws both transition tables; portal/tests/test_docs.py keeps them equal.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongyou.accounts.enums import Role

# Staff who confirm a worker's identity at a station or handle their correction requests: the
# roles that may register and edit workers (accounts.policies EDIT_WORKERS, less analysts).
STAFF = frozenset(
    {
        Role.STATION_STAFF,
        Role.CASE_HANDLER,
        Role.PROGRAMME_OFFICER,
        Role.EMPLOYMENT_OFFICER,
        Role.ORG_ADMIN,
        Role.SYSTEM_ADMIN,
    }
)
WORKER = "worker"  # the worker themselves, signed in to the portal


class RegistrationKind(models.TextChoices):
    """What the station confirms: a new registry record, or a link to an existing one whose
    mobile on record differs from the number the worker signed in with."""

    NEW = "new", _("New registration")
    LINK = "link", _("Link to an existing record")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a station to confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")
    CANCELLED = "cancelled", _("Cancelled by the worker")


R = RegistrationStatus
# {from: {to: who may make that move}}; `self_registration_transition` is the only writer.
REGISTRATION_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    R.PENDING: {R.CONFIRMED: STAFF, R.REJECTED: STAFF, R.CANCELLED: frozenset({WORKER})},
}


class CorrectionField(models.TextChoices):
    """What a worker can ask to have corrected (PIPL Art. 46: the right to correction)."""

    NAME = "name", _("Name")
    NATIONAL_ID = "national_id", _("ID number")
    PHONE = "phone", _("Mobile number")
    HUKOU_REGION = "hukou_region", _("Hukou region")
    CURRENT_REGION = "current_region", _("Where I live and work")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment form, industry or occupation")
    CERTIFICATE = "certificate", _("A skill certificate")
    CASE = "case", _("One of my cases")
    OTHER = "other", _("Something else")


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Corrected")
    REFUSED = "refused", _("Not corrected")
    WITHDRAWN = "withdrawn", _("Withdrawn by the worker")


C = CorrectionStatus
CORRECTION_TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    C.OPEN: {C.DONE: STAFF, C.REFUSED: STAFF, C.WITHDRAWN: frozenset({WORKER})},
}
