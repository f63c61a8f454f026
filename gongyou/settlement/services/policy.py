"""Writes of settlement policies, their versions and city groups.

A published version is frozen: answers cite it and must be reproducible. Changing a policy means
drafting a new version (a copy of the latest), editing it, previewing its impact and publishing
it; publishing closes the open-ended version it follows (the day before the new one starts), so
at most one version of a policy is in force on any day.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldErrors
from gongyou.regions.models import Region

from ..enums import Purpose, Route, Trust
from ..models import CityGroup, PolicyVersion, SettlementPolicy
from ..policies import groups_require_can_edit, policy_require_can_edit
from ..rules import conditions_clean, points_items_clean
from .history import clean_city
from .versioning import (
    VersionChanged,
    VersionSeries,
    provenance_clean,
    versioned_create,
    versioned_transition,
    versioned_update,
)

VERSION_FIELDS = [
    "route",
    "effective_from",
    "effective_to",
    "conditions",
    "points_items",
    "pass_mark",
    "last_cutoff",
    "cutoff_year",
    "annual_quota",
    "group",
    "source",
    "trust",
    "summary",
]


def _user(actor: Actor) -> Any:
    return actor.user if getattr(actor.user, "pk", None) else None


@transaction.atomic
def policy_create(*, actor: Actor, city: str, purpose: str, name: str) -> SettlementPolicy:
    """A new policy series for a city and purpose; its rules come in versions."""
    errors = FieldErrors()
    code = clean_city("city", city, errors)
    if purpose not in Purpose.values:
        errors.add("purpose", "invalid_choice", _("Choose hukou or services."))
    name = (name or "").strip()
    if not name:
        errors.add("name", "required", _("Name the policy."))
    elif len(name) > 120:
        errors.add("name", "too_long", _("At most 120 characters."))
    errors.raise_if_any()
    assert code is not None
    policy_require_can_edit(actor, code)
    if SettlementPolicy.objects.filter(city_id=code, purpose=purpose).exists():
        raise Conflict(
            _("This city already has a policy for this purpose; add a version to it instead.")
        )
    policy = SettlementPolicy.objects.create(city_id=code, purpose=purpose, name=name)
    audit_record(
        actor=_user(actor),
        action="settlement.policy.create",
        entity=policy,
        after=snapshot(policy, ["city", "purpose", "name"]),
        region_code=code,
        summary=name,
    )
    return policy


def _decimal(field: str, value: Any, errors: FieldErrors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.add(field, "invalid", _("Enter a number."))
        return None
    if number < 0 or number > Decimal("99999"):
        errors.add(field, "out_of_range", _("Enter a number from 0 to 99999."))
        return None
    return number


def _int(field: str, value: Any, errors: FieldErrors, lo: int, hi: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        errors.add(field, "invalid", _("Enter a whole number."))
        return None
    if not lo <= number <= hi:
        errors.add(
            field, "out_of_range", _("Enter a number from %(lo)s to %(hi)s.") % {"lo": lo, "hi": hi}
        )
        return None
    return number


def _joined(messages: dict[str, str]) -> str:
    return "; ".join(f"{where}: {msg}" for where, msg in messages.items())


def version_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of a version checked; raises ValidationFailed naming each bad one."""
    errors = FieldErrors()
    out: dict[str, Any] = {}
    route = str(data.get("route") or "")
    if route not in Route.values:
        errors.add("route", "invalid_choice" if route else "required", _("Choose the route."))
    out["route"] = route
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
    conditions, problems = conditions_clean(data.get("conditions") or [])
    if problems:
        errors.add("conditions", "invalid", _joined(problems))
    out["conditions"] = conditions
    items, problems = points_items_clean(data.get("points_items") or [])
    if problems:
        errors.add("points_items", "invalid", _joined(problems))
    out["points_items"] = items
    if items and route and route != Route.POINTS:
        errors.add("points_items", "not_points", _("Points items belong to a points-based route."))
    out["pass_mark"] = _decimal("pass_mark", data.get("pass_mark"), errors)
    out["last_cutoff"] = _decimal("last_cutoff", data.get("last_cutoff"), errors)
    out["cutoff_year"] = _int("cutoff_year", data.get("cutoff_year"), errors, 1990, 2100)
    if out["last_cutoff"] is not None and out["cutoff_year"] is None:
        errors.add("cutoff_year", "required", _("Give the year of the cut-off score."))
    out["annual_quota"] = _int("annual_quota", data.get("annual_quota"), errors, 0, 10_000_000)
    group = data.get("group")
    out["group"] = None
    if group not in (None, ""):
        out["group"] = CityGroup.objects.filter(
            pk=_int("group", group, errors, 1, 2**31) or 0
        ).first()
        if out["group"] is None:
            errors.add("group", "not_found", _("No such city group."))
    out.update(provenance_clean(data, errors))
    errors.raise_if_any()
    return out


POLICY_VERSIONS = VersionSeries(
    model=PolicyVersion,
    parent="policy",
    audit_prefix="settlement.version",
    fields=tuple(VERSION_FIELDS),
    clean=lambda data, policy: version_clean(data),
    not_draft=gettext_lazy("Only a draft can be edited; draft a new version to change the rules."),
)


def version_create(
    *,
    actor: Actor,
    policy: SettlementPolicy,
    data: Mapping[str, Any] | None = None,
    copy_from: PolicyVersion | None = None,
) -> PolicyVersion:
    """A new draft: the fields of `copy_from` (default: the latest version) overlaid by `data`."""
    policy_require_can_edit(actor, policy.city_id)
    version: PolicyVersion = versioned_create(
        series=POLICY_VERSIONS, user=_user(actor), parent=policy, data=data, copy_from=copy_from
    )
    return version


def version_update(
    *, actor: Actor, version: PolicyVersion, data: Mapping[str, Any], expected_version: int
) -> PolicyVersion:
    """Edit a draft (published versions are frozen: draft a new one)."""
    policy_require_can_edit(actor, version.policy.city_id)
    result: PolicyVersion = versioned_update(
        series=POLICY_VERSIONS,
        user=_user(actor),
        version=version,
        data=data,
        expected_version=expected_version,
    )
    return result


def version_transition(
    *,
    actor: Actor,
    version: PolicyVersion,
    to_status: str,
    reason: str = "",
    expected_version: int,
) -> PolicyVersion:
    """Publish a draft (closing the open-ended version it follows) or withdraw a version."""
    policy_require_can_edit(actor, version.policy.city_id)
    result: PolicyVersion = versioned_transition(
        series=POLICY_VERSIONS,
        user=_user(actor),
        version=version,
        to_status=to_status,
        reason=reason,
        expected_version=expected_version,
    )
    return result


@transaction.atomic
def city_group_save(
    *,
    actor: Actor,
    data: Mapping[str, Any],
    group: CityGroup | None = None,
    expected_version: int | None = None,
) -> CityGroup:
    """Create or edit a group of cities within which settlement years accumulate."""
    groups_require_can_edit(actor)
    errors = FieldErrors()
    name = str(data.get("name") or "").strip()
    if not name:
        errors.add("name", "required", _("Name the group."))
    elif CityGroup.objects.filter(name=name).exclude(pk=group.pk if group else 0).exists():
        errors.add("name", "duplicate", _("Another group has this name."))
    raw = data.get("cities") or []
    if isinstance(raw, str):
        raw = [c for c in raw.replace(",", " ").split() if c]
    if not isinstance(raw, list | tuple):
        errors.add("cities", "invalid_type", _("List the cities' codes."))
        raw = []
    codes: list[str] = []
    for i, code in enumerate(raw, 1):
        c = clean_city(f"cities.{i}", code, errors)
        if c and c not in codes:
            codes.append(c)
    if len(codes) < 2 and not any(k.startswith("cities.") for k in errors.errors):
        errors.add("cities", "too_few", _("A group needs at least two cities."))
    source = str(data.get("source") or "").strip()
    if not source:
        errors.add("source", "required", _("Name the source."))
    trust = str(data.get("trust") or "")
    if trust not in Trust.values:
        errors.add("trust", "invalid_choice", _("Choose V, S or U."))
    errors.raise_if_any()
    before = None
    if group is None:
        group = CityGroup.objects.create(
            name=name, source=source[:300], trust=trust, note=str(data.get("note") or "")
        )
    else:
        group = CityGroup.objects.select_for_update().get(pk=group.pk)
        if expected_version is not None and group.version != expected_version:
            raise VersionChanged(_("Someone else changed this group; reload and try again."))
        before = {
            **snapshot(group, ["name", "source", "trust", "note"]),
            "cities": sorted(group.cities.values_list("code", flat=True)),
        }
        group.name, group.source, group.trust = name, source[:300], trust
        group.note = str(data.get("note") or "")
        group.version += 1
        group.save()
    group.cities.set(Region.objects.filter(code__in=codes))
    audit_record(
        actor=_user(actor),
        action="settlement.group.save",
        entity=group,
        before=before,
        after={**snapshot(group, ["name", "source", "trust", "note"]), "cities": sorted(codes)},
        summary=name,
    )
    return group
