"""Every write to employers: register, and set or clear the wage-arrears flag (audited)."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.classifications.enums import Industry
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.errors import Conflict, FieldError, FieldErrors
from gongyou.regions.selectors import region_is_known

from .enums import EmployerSize
from .models import Employer
from .policies import employer_is_visible, employer_require_can_create, employer_require_can_flag
from .uscc import CreditCodeError, parse_credit_code

EMPLOYER_FIELDS = ["name", "credit_code", "industry", "region", "size_class", "address"]


class EmployerAlreadyRegistered(Conflict):
    code = "employer_already_registered"
    default_message = gettext_lazy(
        "An employer with this unified social credit code is registered."
    )


def _clean(data: dict[str, Any], errors: FieldErrors, *, actor: Actor) -> dict[str, Any]:
    out: dict[str, Any] = {}
    name = re.sub(r"\s+", " ", str(data.get("name") or "")).strip()
    if not name:
        errors.add("name", "required", _("Enter the employer's name."))
    elif len(name) > 200:
        errors.add("name", "too_long", _("At most 200 characters."))
    out["name"] = name
    out["credit_code"] = ""
    if data.get("credit_code") not in (None, ""):
        try:
            out["credit_code"] = parse_credit_code(str(data["credit_code"]))
        except CreditCodeError as exc:
            errors.add("credit_code", exc.code, exc.message)
    industry = str(data.get("industry") or "")
    if industry and industry not in Industry.values:
        errors.add("industry", "invalid_choice", _("Choose an industry."))
    out["industry"] = industry
    region = str(data.get("region") or "").strip()
    if not region:
        errors.add("region", "required", _("Choose a region."))
    elif not re.fullmatch(r"\d{6}", region) or not region_is_known(region):
        errors.add("region", "unknown_region", _("Choose a known region (6-digit code)."))
    elif not actor.covers_region(region):
        errors.add("region", "out_of_scope", _("The region is outside your area."))
    out["region_id"] = region
    size = str(data.get("size_class") or EmployerSize.UNKNOWN)
    if size not in EmployerSize.values:
        errors.add("size_class", "invalid_choice", _("Choose a size."))
    out["size_class"] = size
    address = str(data.get("address") or "").strip()
    if len(address) > 200:
        errors.add("address", "too_long", _("At most 200 characters."))
    out["address"] = address
    return out


def _duplicate(actor: Actor, existing: Employer) -> EmployerAlreadyRegistered:
    fields = {"credit_code": FieldError("already_registered", _("Already registered."))}
    if employer_is_visible(actor, existing):
        return EmployerAlreadyRegistered(
            _("This code is already registered to %(name)s (employer %(id)s).")
            % {"name": existing.name, "id": existing.pk},
            fields=fields,
            extra={"existing_employer": {"id": existing.pk, "name": existing.name}},
        )
    return EmployerAlreadyRegistered(
        _("This code is registered by an organisation outside your area."), fields=fields
    )


def employer_register(*, actor: Actor, data: dict[str, Any]) -> Employer:
    """Register an employer. ValidationFailed names every bad field; a known code is a 409."""
    employer_require_can_create(actor)
    errors = FieldErrors()
    values = _clean(data, errors, actor=actor)
    errors.raise_if_any()
    code = values["credit_code"]
    if code and (existing := Employer.objects.filter(credit_code=code).first()):
        raise _duplicate(actor, existing)
    employer = Employer(created_by=actor.user, **values)
    try:
        with transaction.atomic():
            employer.save()
            audit_record(
                actor=actor.user,
                action="employer.register",
                entity=employer,
                after=snapshot(employer, EMPLOYER_FIELDS),
                region_code=employer.region_id,
                summary=employer.name,
            )
    except IntegrityError:
        existing = Employer.objects.filter(credit_code=code).first() if code else None
        if existing is None:
            raise
        raise _duplicate(actor, existing) from None
    return employer


@transaction.atomic
def employer_set_arrears_flag(
    *, actor: Actor | None, employer: Employer, flagged: bool, reason: str
) -> Employer:
    """Flag or clear. `actor=None` is the early warning of the cases app (no permission check)."""
    if actor is not None:
        employer_require_can_flag(actor, employer)
    errors = FieldErrors()
    reason = str(reason or "").strip()
    if not reason:
        errors.add("reason", "required", _("Say why."))
    elif len(reason) > 300:
        errors.add("reason", "too_long", _("At most 300 characters."))
    errors.raise_if_any()
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.arrears_flagged == flagged:
        return employer
    before = {"arrears_flagged": employer.arrears_flagged, "reason": employer.arrears_flag_reason}
    employer.arrears_flagged, employer.arrears_flag_reason = flagged, reason
    employer.arrears_flag_changed_at = timezone.now()
    employer.save(
        update_fields=["arrears_flagged", "arrears_flag_reason", "arrears_flag_changed_at"]
    )
    audit_record(
        actor=actor.user if actor else None,
        action="employer.flag" if flagged else "employer.unflag",
        entity=employer,
        before=before,
        after={"arrears_flagged": flagged, "reason": reason},
        region_code=employer.region_id,
        summary=(_("Flagged for wage arrears: %(r)s") if flagged else _("Flag cleared: %(r)s"))
        % {"r": reason},
    )
    return employer
