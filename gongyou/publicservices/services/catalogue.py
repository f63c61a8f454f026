"""Writes of the public-service catalogue: services and their versions (draft → published →
withdrawn, the settlement lifecycle, written by settlement's `versioned_*` services). Conditions
are validated by the settlement rules module."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldError, FieldErrors
from gongyou.settlement.rules import conditions_clean
from gongyou.settlement.services import VersionChanged as VersionChanged  # re-exported
from gongyou.settlement.services import VersionOverlap as VersionOverlap  # re-exported
from gongyou.settlement.services import (
    VersionSeries,
    VersionTransitionNotAllowed,
    clean_city,
    provenance_clean,
    versioned_can_edit,
    versioned_create,
    versioned_transition,
    versioned_update,
)

from ..enums import Beneficiary, ServiceKind
from ..models import PublicService, ServiceVersion
from ..policies import catalogue_require_can_edit

VERSION_FIELDS = [
    "beneficiary",
    "department",
    "department_name",
    "effective_from",
    "effective_to",
    "open_to_all",
    "conditions",
    "needs_points",
    "documents",
    "how_to_apply",
    "source",
    "trust",
    "summary",
]
MAX_DOCUMENTS = 30


# The catalogue's versions follow settlement's lifecycle, so they share its errors. Referrals use
# the same two: a stale edit is VersionChanged, a refused status change TransitionNotAllowed.
TransitionNotAllowed = VersionTransitionNotAllowed


def user_of(actor: Actor) -> Any:
    return actor.user if getattr(actor.user, "pk", None) else None


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return bool(value)


@transaction.atomic
def service_create(*, actor: Actor, city: str, kind: str, name: str) -> PublicService:
    """A new service in a city's catalogue; what it requires comes in versions."""
    errors = FieldErrors()
    code = clean_city("city", city, errors)
    if kind not in ServiceKind.values:
        errors.add("kind", "invalid_choice" if kind else "required", _("Choose the service."))
    name = (name or "").strip()
    if not name:
        errors.add("name", "required", _("Name the service as the city calls it."))
    elif len(name) > 160:
        errors.add("name", "too_long", _("At most 160 characters."))
    errors.raise_if_any()
    assert code is not None
    catalogue_require_can_edit(actor, code)
    if PublicService.objects.filter(city_id=code, kind=kind, name=name).exists():
        raise Conflict(
            _("This city's catalogue already has this service; add a version to it instead."),
            fields={"name": FieldError("duplicate", _("Already in this city's catalogue."))},
        )
    service = PublicService.objects.create(city_id=code, kind=kind, name=name)
    audit_record(
        actor=user_of(actor),
        action="publicservices.service.create",
        entity=service,
        after=snapshot(service, ["city", "kind", "name"]),
        region_code=code,
        summary=name,
    )
    return service


def _documents(value: Any, errors: FieldErrors) -> list[str]:
    if value in (None, ""):
        return []
    items = value.splitlines() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        errors.add("documents", "invalid", _("Give a list of documents, one per line."))
        return []
    out = []
    for i, item in enumerate(items, start=1):
        text = str(item or "").strip()
        if not text:
            continue
        if len(text) > 200:
            errors.add(
                "documents", "too_long", _("Document %(n)s is over 200 characters.") % {"n": i}
            )
            return []
        out.append(text)
    if len(out) > MAX_DOCUMENTS:
        errors.add("documents", "too_many", _("At most %(n)s documents.") % {"n": MAX_DOCUMENTS})
    return out


def version_clean(data: Mapping[str, Any], *, city: str) -> dict[str, Any]:
    """Every field of a catalogue version checked; raises ValidationFailed naming each bad one."""
    errors = FieldErrors()
    out: dict[str, Any] = {}
    beneficiary = str(data.get("beneficiary") or Beneficiary.WORKER)
    if beneficiary not in Beneficiary.values:
        errors.add("beneficiary", "invalid_choice", _("Choose the worker or a child."))
    out["beneficiary"] = beneficiary
    dept = data.get("department")
    out["department"] = None
    if dept not in (None, ""):
        org = None
        if str(dept).isdigit():
            org = Organisation.objects.filter(pk=int(str(dept))).first()
        if org is None:
            errors.add("department", "not_found", _("No such organisation."))
        elif org.kind != OrganisationKind.PARTNER_DEPARTMENT:
            errors.add(
                "department",
                "not_a_department",
                _("%(name)s is not a partner department.") % {"name": org.name},
            )
        else:
            out["department"] = org
    out["department_name"] = str(data.get("department_name") or "").strip()
    if len(out["department_name"]) > 200:
        errors.add("department_name", "too_long", _("At most 200 characters."))
    if data.get("effective_from") in (None, ""):
        errors.add("effective_from", "required", _("Give the day the version comes into force."))
    out["effective_from"] = clean_date(
        "effective_from", data.get("effective_from"), errors, allow_future=True
    )
    out["effective_to"] = clean_date(
        "effective_to", data.get("effective_to"), errors, allow_future=True
    )
    if (
        out["effective_from"]
        and out["effective_to"]
        and out["effective_to"] < out["effective_from"]
    ):
        errors.add("effective_to", "before_start", _("“In force until” is before “in force from”."))
    out["open_to_all"] = _bool(data.get("open_to_all"))
    conditions, problems = conditions_clean(data.get("conditions") or [])
    if problems:
        errors.add("conditions", "invalid", "; ".join(f"{k}: {v}" for k, v in problems.items()))
    out["conditions"] = conditions
    out["needs_points"] = _bool(data.get("needs_points"))
    if out["open_to_all"] and (conditions or out["needs_points"]):
        errors.add(
            "open_to_all",
            "contradiction",
            _("A service open to every resident has no conditions; clear one or the other."),
        )
    out["documents"] = _documents(data.get("documents"), errors)
    out["how_to_apply"] = str(data.get("how_to_apply") or "").strip()
    if len(out["how_to_apply"]) > 4000:
        errors.add("how_to_apply", "too_long", _("At most 4000 characters."))
    out.update(provenance_clean(data, errors))
    errors.raise_if_any()
    return out


NOT_DRAFT = gettext_lazy("Only a draft can be edited; draft a new version to change it.")
SERVICE_VERSIONS = VersionSeries(
    model=ServiceVersion,
    parent="service",
    audit_prefix="publicservices.version",
    fields=tuple(VERSION_FIELDS),
    clean=lambda data, service: version_clean(data, city=service.city_id),
    not_draft=NOT_DRAFT,
)


def version_can_edit(version: ServiceVersion) -> bool:
    """Only a draft is edited: a published or withdrawn version is frozen (draft a new one).
    `service_version_update` refuses otherwise, and the pages offer the edit only when this holds."""
    return versioned_can_edit(version)


def service_version_create(
    *,
    actor: Actor,
    service: PublicService,
    data: Mapping[str, Any] | None = None,
    copy_from: ServiceVersion | None = None,
) -> ServiceVersion:
    """A new draft: the fields of `copy_from` (default: the latest version) overlaid by `data`."""
    catalogue_require_can_edit(actor, service.city_id)
    version: ServiceVersion = versioned_create(
        series=SERVICE_VERSIONS,
        user=user_of(actor),
        parent=service,
        data=data,
        copy_from=copy_from,
    )
    return version


def service_version_update(
    *, actor: Actor, version: ServiceVersion, data: Mapping[str, Any], expected_version: int
) -> ServiceVersion:
    """Edit a draft (published versions are frozen: draft a new one)."""
    catalogue_require_can_edit(actor, version.service.city_id)
    result: ServiceVersion = versioned_update(
        series=SERVICE_VERSIONS,
        user=user_of(actor),
        version=version,
        data=data,
        expected_version=expected_version,
    )
    return result


def service_version_transition(
    *,
    actor: Actor,
    version: ServiceVersion,
    to_status: str,
    reason: str = "",
    expected_version: int,
) -> ServiceVersion:
    """Publish a draft (closing the open-ended version it follows) or withdraw a version: the
    settlement lifecycle, run by settlement's one implementation of it."""
    catalogue_require_can_edit(actor, version.service.city_id)
    result: ServiceVersion = versioned_transition(
        series=SERVICE_VERSIONS,
        user=user_of(actor),
        version=version,
        to_status=to_status,
        reason=reason,
        expected_version=expected_version,
    )
    return result
