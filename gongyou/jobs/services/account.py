"""Employer accounts: which employer an employer organisation's users speak for."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.errors import FieldErrors
from gongyou.employers.selectors import employers_by_ids

from ..models import EmployerAccount
from ..policies import employer_account_require_can_link
from .common import user_of


@transaction.atomic
def employer_account_link(
    *, actor: Actor, organisation_id: Any, employer_id: Any
) -> EmployerAccount:
    """Link (or re-link) an organisation of kind `employer` in the actor's area to an employer."""
    employer_account_require_can_link(actor)
    errors = FieldErrors()
    org = None
    if not str(organisation_id or "").isdigit():
        errors.add("organisation_id", "required", _("Choose the organisation."))
    else:
        org = Organisation.objects.filter(pk=int(organisation_id)).first()
        if org is None or not actor.covers_region(org.region_id):
            errors.add("organisation_id", "not_found", _("No such organisation in your area."))
            org = None
        elif org.kind != OrganisationKind.EMPLOYER:
            errors.add(
                "organisation_id", "not_employer", _("Only an employer organisation can be linked.")
            )
    employer = None
    if not str(employer_id or "").isdigit():
        errors.add("employer_id", "required", _("Choose the employer."))
    else:
        eid = int(employer_id)
        # An id beyond 64 bits names no employer (and must not reach the database).
        employer = employers_by_ids(actor=actor, ids=[eid]).get(eid) if eid < 2**63 else None
        if employer is None:
            errors.add("employer_id", "not_found", _("No such employer in your area."))
    errors.raise_if_any()
    assert org is not None and employer is not None
    account, _created = EmployerAccount.objects.update_or_create(
        organisation=org, defaults={"employer": employer, "created_by": user_of(actor)}
    )
    audit_record(
        actor=user_of(actor),
        action="employer_account.link",
        entity=account,
        after={"organisation": org.pk, "employer": employer.pk},
        region_code=employer.region_id,
        summary=_("%(o)s speaks for %(e)s") % {"o": org.name, "e": employer.name},
    )
    return account
