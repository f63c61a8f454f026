"""Campaigns: create, update, and the targets per region (all audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.audit import audit_record, diff, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import FieldErrors

from ..enums import CampaignKind
from ..models import Campaign, CampaignTarget
from ..policies import campaign_require_can_edit
from .common import bump, clean_int, clean_region, clean_text, clean_version, lock

CAMPAIGN_FIELDS = ["name", "kind", "lead_organisation", "region", "starts_on", "ends_on"]
TARGET_FIELDS = ("trained", "completed", "certified", "funded_study")


def _org_ids(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [v for v in value.replace("，", ",").split(",") if v.strip()]
    return list(value)


def _clean(data: dict[str, Any], errors: FieldErrors, *, actor: Actor) -> dict[str, Any]:
    out: dict[str, Any] = {}
    out["name"] = clean_text("name", data.get("name"), errors, required=True, limit=200)
    kind = str(data.get("kind") or "")
    if kind not in CampaignKind.values:
        errors.add("kind", "invalid_choice", _("Choose the kind of campaign."))
    out["kind"] = kind
    lead_id = clean_int("lead_organisation", data.get("lead_organisation"), errors, high=2**62)
    lead = None
    if lead_id is not None:
        lead = Organisation.objects.filter(pk=lead_id, is_active=True).first()
        if lead is None:
            errors.add("lead_organisation", "unknown", _("Choose a known, active organisation."))
        elif not actor.covers_region(lead.region_id):
            errors.add(
                "lead_organisation",
                "out_of_scope",
                _("The lead organisation's area is outside yours."),
            )
    out["lead_organisation"] = lead
    out["region_id"] = lead.region_id if lead else None
    co_ids: list[int] = []
    for raw in _org_ids(data.get("co_organisers")):
        if not str(raw).strip().isdigit():
            errors.add("co_organisers", "invalid_type", _("Organisation ids are whole numbers."))
            break
        co_ids.append(int(str(raw).strip()))
    co = list(Organisation.objects.filter(pk__in=co_ids, is_active=True))
    if len(co) != len(set(co_ids)):
        errors.add("co_organisers", "unknown", _("Choose known, active organisations."))
    elif lead is not None and lead.pk in co_ids:
        errors.add(
            "co_organisers", "is_lead", _("The lead organisation is not also a co-organiser.")
        )
    out["co_organisers"] = co
    starts = clean_date("starts_on", data.get("starts_on"), errors, allow_future=True)
    ends = clean_date("ends_on", data.get("ends_on"), errors, allow_future=True)
    if starts is None and "starts_on" not in errors.errors:
        errors.add("starts_on", "required", _("Enter the first day of the campaign."))
    if ends is None and "ends_on" not in errors.errors:
        errors.add("ends_on", "required", _("Enter the last day of the campaign."))
    if starts and ends and ends < starts:
        errors.add("ends_on", "before_start", _("The campaign cannot end before it starts."))
    out["starts_on"], out["ends_on"] = starts, ends
    out["description"] = clean_text(
        "description", data.get("description"), errors, required=False, limit=4000
    )
    return out


def _audit_after(campaign: Campaign) -> dict[str, Any]:
    return {
        **snapshot(campaign, CAMPAIGN_FIELDS),
        "co_organisers": sorted(o.pk for o in campaign.co_organisers.all()),
    }


@transaction.atomic
def campaign_create(*, actor: Actor, data: dict[str, Any]) -> Campaign:
    campaign_require_can_edit(actor, None)
    errors = FieldErrors()
    values = _clean(data, errors, actor=actor)
    errors.raise_if_any()
    co = values.pop("co_organisers")
    campaign = Campaign.objects.create(created_by=actor.user, **values)
    campaign.co_organisers.set(co)
    audit_record(
        actor=actor.user,
        action="training.campaign.create",
        entity=campaign,
        after=_audit_after(campaign),
        region_code=campaign.region_id or "",
        summary=campaign.name,
    )
    return campaign


@transaction.atomic
def campaign_update(
    *, actor: Actor, campaign: Campaign, data: dict[str, Any], version: Any
) -> Campaign:
    campaign_require_can_edit(actor, campaign)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    values = _clean(data, errors, actor=actor)
    errors.raise_if_any()
    campaign = lock(Campaign, campaign.pk, version_n)
    before = _audit_after(campaign)
    co = values.pop("co_organisers")
    for field, value in values.items():
        setattr(campaign, field, value)
    campaign.co_organisers.set(co)
    bump(campaign, *CAMPAIGN_FIELDS, "description")
    changed_before, changed_after = diff(before, _audit_after(campaign))
    audit_record(
        actor=actor.user,
        action="training.campaign.update",
        entity=campaign,
        before=changed_before,
        after=changed_after,
        region_code=campaign.region_id or "",
        summary=campaign.name,
    )
    return campaign


@transaction.atomic
def campaign_set_targets(
    *, actor: Actor, campaign: Campaign, targets: list[dict[str, Any]], version: Any
) -> list[CampaignTarget]:
    """Replace the campaign's targets: one row per region, inside the campaign's area."""
    campaign_require_can_edit(actor, campaign)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    rows: dict[str, dict[str, int]] = {}
    for i, target in enumerate(targets):
        prefix = f"targets.{i}"
        code = clean_region(f"{prefix}.region", target.get("region"), errors, actor=actor)
        if code and not code.startswith(region_prefix(campaign.region_id)):
            errors.add(
                f"{prefix}.region", "outside_campaign", _("The region is outside the campaign.")
            )
        if code and code in rows:
            errors.add(f"{prefix}.region", "duplicate", _("This region is listed twice."))
        counts = {
            f: clean_int(f"{prefix}.{f}", target.get(f) or 0, errors, high=100_000_000) or 0
            for f in TARGET_FIELDS
        }
        if code:
            rows[code] = counts
    errors.raise_if_any()
    campaign = lock(Campaign, campaign.pk, version_n)
    before = {
        t.region_id: {f: getattr(t, f) for f in TARGET_FIELDS} for t in campaign.targets.all()
    }
    campaign.targets.all().delete()
    created = CampaignTarget.objects.bulk_create(
        [CampaignTarget(campaign=campaign, region_id=code, **c) for code, c in rows.items()]
    )
    bump(campaign)
    audit_record(
        actor=actor.user,
        action="training.campaign.targets",
        entity=campaign,
        before={"targets": before},
        after={"targets": rows},
        region_code=campaign.region_id or "",
        summary=_("Targets of %(name)s") % {"name": campaign.name},
    )
    return created
