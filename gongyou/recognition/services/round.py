"""Award rounds: open a round for one's organisation, set its dates, quotas, conclude it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor, region_prefix
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldErrors

from ..enums import AWARD_LEVEL, TERMINAL, AwardLevel, AwardType
from ..models import AwardRound, RoundQuota
from ..policies import round_require_can_organise
from .common import bump, clean_id, clean_text, clean_version, lock

ROUND_FIELDS = (
    "award_type",
    "year",
    "title",
    "nominations_close_on",
    "notice_starts_on",
    "notice_ends_on",
    "notes",
)
LEVEL_OF_PREFIX = {0: AwardLevel.NATIONAL, 2: AwardLevel.PROVINCIAL, 4: AwardLevel.CITY}


def _clean_round(data: dict[str, Any], errors: FieldErrors, *, organiser: Organisation) -> dict:
    award_type = str(data.get("award_type") or "")
    if award_type not in AwardType.values:
        errors.add("award_type", "invalid_choice", _("Choose the award."))
    else:
        level = AWARD_LEVEL[award_type]
        own = LEVEL_OF_PREFIX.get(len(region_prefix(organiser.region_id)))
        if level and level != own:
            errors.add(
                "award_type",
                "wrong_level",
                _("A %(level)s award is organised by a %(level)s organisation.")
                % {"level": AwardLevel(level).label.lower()},
            )
    year_raw = data.get("year")
    year = None
    try:
        year = int(str(year_raw))
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("year", "invalid", _("Enter a year such as 2026."))
    title = clean_text("title", data.get("title"), errors, required=True, limit=200)
    close = clean_date(
        "nominations_close_on", data.get("nominations_close_on"), errors, allow_future=True
    )
    if close is None and "nominations_close_on" not in errors.errors:
        errors.add("nominations_close_on", "required", _("Say when nominations close."))
    starts = clean_date("notice_starts_on", data.get("notice_starts_on"), errors, allow_future=True)
    ends = clean_date("notice_ends_on", data.get("notice_ends_on"), errors, allow_future=True)
    if (starts is None) != (ends is None):
        field = "notice_ends_on" if ends is None else "notice_starts_on"
        errors.add(
            field, "required", _("Give both the first and the last day of the public notice.")
        )
    elif starts and ends:
        if ends < starts:
            errors.add(
                "notice_ends_on", "before_start", _("The notice cannot end before it starts.")
            )
        if close and starts <= close:
            errors.add(
                "notice_starts_on",
                "before_close",
                _("The public notice starts after nominations close."),
            )
    notes = clean_text("notes", data.get("notes"), errors, required=False, limit=2000)
    return {
        "award_type": award_type,
        "year": year,
        "title": title,
        "nominations_close_on": close,
        "notice_starts_on": starts,
        "notice_ends_on": ends,
        "notes": notes,
    }


@transaction.atomic
def round_create(*, actor: Actor, data: dict[str, Any]) -> AwardRound:
    """Open a round organised by the actor's organisation (its region is the round's area)."""
    round_require_can_organise(actor)
    organiser = Organisation.objects.get(pk=actor.organisation_id or 0)
    errors = FieldErrors()
    values = _clean_round(data, errors, organiser=organiser)
    errors.raise_if_any()
    award_round = AwardRound.objects.create(
        organiser=organiser, region_id=organiser.region_id, created_by=actor.user, **values
    )
    audit_record(
        actor=actor.user,
        action="recognition.round_create",
        entity=award_round,
        after=snapshot(award_round, ROUND_FIELDS),
        region_code=award_round.region_id or "",
        summary=award_round.title,
    )
    return award_round


@transaction.atomic
def round_update(
    *, actor: Actor, award_round: AwardRound, data: dict[str, Any], version: Any
) -> AwardRound:
    round_require_can_organise(actor, award_round)
    errors = FieldErrors()
    merged = {**snapshot(award_round, ROUND_FIELDS), **data}
    values = _clean_round(merged, errors, organiser=award_round.organiser)
    version_n = clean_version(version, errors)
    errors.raise_if_any()
    award_round = lock(award_round, version_n)
    if award_round.concluded_at is not None:
        raise Conflict(_("The round is concluded and can no longer change."))
    before = snapshot(award_round, ROUND_FIELDS)
    for key, value in values.items():
        setattr(award_round, key, value)
    bump(award_round, *values)
    audit_record(
        actor=actor.user,
        action="recognition.round_update",
        entity=award_round,
        before=before,
        after=snapshot(award_round, ROUND_FIELDS),
        region_code=award_round.region_id or "",
        summary=award_round.title,
    )
    return award_round


@transaction.atomic
def round_set_quota(
    *, actor: Actor, award_round: AwardRound, organisation_id: Any, quota: Any
) -> RoundQuota | None:
    """Set how many nominations an organisation may make in the round (0 removes the quota)."""
    round_require_can_organise(actor, award_round)
    errors = FieldErrors()
    org_id = clean_id("organisation_id", organisation_id, errors)
    number = None
    try:
        number = int(str(quota))
        if number < 0 or number > 10_000:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("quota", "invalid", _("A quota is a whole number from 0 to 10,000."))
    organisation = (
        Organisation.objects.filter(pk=org_id, is_active=True).first() if org_id else None
    )
    if org_id and organisation is None:
        errors.add("organisation_id", "not_found", _("No active organisation has this id."))
    elif organisation is not None:
        area = region_prefix(award_round.region_id)
        if area and not (organisation.region_id or "").startswith(area):
            errors.add(
                "organisation_id",
                "out_of_area",
                _("The organisation is outside the round's area."),
            )
    errors.raise_if_any()
    assert organisation is not None and number is not None
    if award_round.concluded_at is not None:
        raise Conflict(_("The round is concluded and can no longer change."))
    existing = RoundQuota.objects.filter(round=award_round, organisation=organisation).first()
    before = {"quota": existing.quota if existing else None}
    result: RoundQuota | None
    if number == 0:
        if existing:
            existing.delete()
        result = None
    elif existing:
        existing.quota = number
        existing.save(update_fields=["quota"])
        result = existing
    else:
        result = RoundQuota.objects.create(
            round=award_round, organisation=organisation, quota=number
        )
    audit_record(
        actor=actor.user,
        action="recognition.quota_set",
        entity=award_round,
        before=before,
        after={"organisation": organisation.pk, "quota": number},
        region_code=award_round.region_id or "",
        summary=f"{award_round.title}: {organisation.name} {number}",
    )
    return result


@transaction.atomic
def round_conclude(
    *, actor: Actor, award_round: AwardRound, version: Any, now: dt.datetime | None = None
) -> AwardRound:
    """Close the round once every nomination has its outcome."""
    round_require_can_organise(actor, award_round)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    errors.raise_if_any()
    award_round = lock(award_round, version_n)
    if award_round.concluded_at is not None:
        raise Conflict(_("The round is already concluded."))
    pending = award_round.nominations.exclude(status__in=TERMINAL | {"awarded"}).count()
    if pending:
        raise Conflict(
            _("%(n)d nominations have no outcome yet.") % {"n": pending},
            extra={"pending": pending},
        )
    award_round.concluded_at = now or timezone.now()
    bump(award_round, "concluded_at")
    audit_record(
        actor=actor.user,
        action="recognition.round_conclude",
        entity=award_round,
        after={"concluded_at": award_round.concluded_at},
        region_code=award_round.region_id or "",
        summary=award_round.title,
    )
    return award_round
