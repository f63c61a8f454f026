"""Nominations: make one (a registry worker or a person outside the registry), edit it while it
waits for review, and move it along the lifecycle (review steps, public notice, outcome)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.errors import Conflict, FieldErrors, PermissionDenied
from gongyou.regions.selectors import region_is_known
from gongyou.workers.models import Worker
from gongyou.workers.policies import worker_is_visible
from gongyou.workers.selectors import national_id_lookup_hash

from ..enums import (
    COUNTS_AGAINST_QUOTA,
    EDITABLE,
    STEP_OF,
    TRANSITIONS,
    NominationEventKind,
    NominationStatus,
    ObjectionStatus,
    Party,
)
from ..models import AwardRound, Nomination, RoundQuota
from ..policies import (
    nomination_parties,
    nomination_require_can_nominate,
    nomination_require_party,
    nomination_require_visible,
    round_require_visible,
)
from .common import (
    NominationTransitionNotAllowed,
    QuotaExceeded,
    bump,
    clean_id,
    clean_text,
    clean_version,
    lock,
    record,
)

JUSTIFICATION_LIMIT = 5000
S = NominationStatus


def _quota_check(*, award_round: AwardRound, organisation_id: int, exclude: int | None) -> None:
    """Refuse when the organisation has no quota left; the quota row is locked so that two
    nominations sent at once cannot both take the last place."""
    quota = (
        RoundQuota.objects.select_for_update()
        .filter(round=award_round, organisation_id=organisation_id)
        .first()
    )
    if quota is None:
        raise QuotaExceeded(_("Your organisation has no quota in this round."))
    used = (
        Nomination.objects.filter(
            round=award_round, organisation_id=organisation_id, status__in=COUNTS_AGAINST_QUOTA
        )
        .exclude(pk=exclude or 0)
        .count()
    )
    if used >= quota.quota:
        raise QuotaExceeded(extra={"quota": quota.quota, "used": used})


def _round_open(award_round: AwardRound, today: dt.date) -> None:
    if award_round.concluded_at is not None:
        raise Conflict(_("The round is concluded."))
    if today > award_round.nominations_close_on:
        raise Conflict(
            _("Nominations closed on %(date)s.") % {"date": award_round.nominations_close_on}
        )


@transaction.atomic
def nomination_create(
    *, actor: Actor, award_round: AwardRound, data: dict[str, Any], today: dt.date | None = None
) -> Nomination:
    """Nominate a registry worker (`worker_id`, or an ID number found in the registry) or a
    person outside the registry (name and region); the actor's organisation nominates."""
    round_require_visible(actor, award_round)
    nomination_require_can_nominate(actor)
    errors = FieldErrors()
    worker: Worker | None = None
    worker_id = clean_id("worker_id", data.get("worker_id"), errors, required=False)
    if worker_id is not None:
        worker = Worker.objects.filter(pk=worker_id).first()
        if worker is None or not worker_is_visible(actor, worker):
            errors.add("worker_id", "not_found", _("No worker you can see has this id."))
            worker = None
    elif data.get("national_id"):
        digest = national_id_lookup_hash(str(data["national_id"]))
        found = Worker.objects.filter(national_id_hash=digest or "-").first()
        if found is not None and worker_is_visible(actor, found):
            worker = found
    name = clean_text(
        "nominee_name", data.get("nominee_name"), errors, required=worker is None, limit=50
    )
    unit = clean_text("nominee_unit", data.get("nominee_unit"), errors, required=True, limit=200)
    position = clean_text(
        "nominee_position", data.get("nominee_position"), errors, required=False, limit=100
    )
    region = str(data.get("region") or "").strip()
    if worker is None:
        if not region:
            errors.add("region", "required", _("Say where the nominee works (region code)."))
        elif not region_is_known(region):
            errors.add("region", "unknown_region", _("No region has this code."))
        elif not actor.covers_region(region):
            errors.add("region", "out_of_scope", _("The region is outside your area."))
    justification = clean_text(
        "justification", data.get("justification"), errors, required=True, limit=JUSTIFICATION_LIMIT
    )
    errors.raise_if_any()
    _round_open(award_round, today or timezone.localdate())
    assert actor.organisation_id is not None
    _quota_check(award_round=award_round, organisation_id=actor.organisation_id, exclude=None)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                round=award_round,
                organisation_id=actor.organisation_id,
                worker=worker,
                nominee_name=worker.name if worker else name,
                nominee_unit=unit,
                nominee_position=position,
                region_id=worker.current_region_id if worker else region,
                justification=justification,
                created_by=actor.user,
            )
    except IntegrityError as exc:
        raise Conflict(_("This worker is already nominated in this round.")) from exc
    record(
        nomination=nomination,
        actor=actor,
        kind=NominationEventKind.CREATED,
        action="recognition.nomination_create",
        summary=_("Nominated for %(round)s") % {"round": award_round.title},
        to_status=nomination.status,
        after={
            "round": award_round.pk,
            "organisation": nomination.organisation_id,
            "worker": nomination.worker_id,
            "region": nomination.region_id,
        },
    )
    return nomination


@transaction.atomic
def nomination_update(
    *, actor: Actor, nomination: Nomination, data: dict[str, Any], version: Any
) -> Nomination:
    """The nominating organisation edits the text while the nomination waits for review."""
    nomination_require_party(actor, nomination, Party.NOMINATOR)
    errors = FieldErrors()
    values: dict[str, str] = {}
    limits = {"nominee_unit": 200, "nominee_position": 100, "justification": JUSTIFICATION_LIMIT}
    for field, limit in limits.items():
        if field in data:
            values[field] = clean_text(
                field, data[field], errors, required=field != "nominee_position", limit=limit
            )
    version_n = clean_version(version, errors)
    errors.raise_if_any()
    nomination = lock(nomination, version_n)
    if nomination.status not in EDITABLE:
        raise Conflict(_("The nomination is under review and can no longer be edited."))
    before = {k: getattr(nomination, k) for k in values}
    changed = {k: v for k, v in values.items() if before[k] != v}
    if not changed:
        return nomination
    for key, value in changed.items():
        setattr(nomination, key, value)
    bump(nomination, *changed)
    record(
        nomination=nomination,
        actor=actor,
        kind=NominationEventKind.EDITED,
        action="recognition.nomination_update",
        summary=_("Nomination edited"),
        before={k: before[k] for k in changed},
        after=changed,
    )
    return nomination


@transaction.atomic
def nomination_transition(
    *,
    actor: Actor,
    nomination: Nomination,
    to_status: Any,
    reason: Any,
    version: Any,
    today: dt.date | None = None,
) -> Nomination:
    """Move the nomination along TRANSITIONS. The reason is the review opinion or the ground of
    the decision; it is required for every move."""
    nomination_require_visible(actor, nomination)
    errors = FieldErrors()
    target = str(to_status or "")
    if target not in S.values:
        errors.add("to_status", "invalid_choice", _("Choose a status."))
    text = clean_text("reason", reason, errors, required=True, limit=2000)
    version_n = clean_version(version, errors)
    errors.raise_if_any()
    nomination = lock(nomination, version_n)
    allowed = TRANSITIONS.get(nomination.status, {})
    parties = nomination_parties(actor, nomination)
    if target not in allowed:
        raise NominationTransitionNotAllowed(
            _("A nomination cannot go from “%(a)s” to “%(b)s”.")
            % {"a": S(nomination.status).label, "b": S(target).label},
            extra={"allowed": sorted(k for k, who in allowed.items() if parties & who)},
        )
    if not parties & allowed[target]:
        raise PermissionDenied(
            _("Only the %(party)s can make this change.")
            % {"party": " / ".join(sorted(str(Party(p).label).lower() for p in allowed[target]))}
        )
    award_round = nomination.round
    today = today or timezone.localdate()
    if award_round.concluded_at is not None and target != S.REVOKED:
        raise Conflict(_("The round is concluded."))
    if target == S.SUBMITTED:
        _round_open(award_round, today)
        _quota_check(
            award_round=award_round,
            organisation_id=nomination.organisation_id,
            exclude=nomination.pk,
        )
    elif target == S.IN_NOTICE:
        starts, ends = award_round.notice_starts_on, award_round.notice_ends_on
        if starts is None or ends is None:
            raise Conflict(_("Set the round's public notice period first."))
        if not starts <= today <= ends:
            raise Conflict(
                _("The public notice runs from %(a)s to %(b)s.") % {"a": starts, "b": ends}
            )
    elif target == S.AWARDED:
        ends = award_round.notice_ends_on
        if ends is None or today <= ends:
            raise Conflict(
                _("The award can be decided after the public notice ends (%(date)s).")
                % {"date": ends or "—"}
            )
        if nomination.objections.filter(status=ObjectionStatus.OPEN).exists():
            raise Conflict(_("Handle every objection before deciding the award."))
        if nomination.objections.filter(status=ObjectionStatus.UPHELD).exists():
            raise Conflict(_("An objection was upheld: the nominee cannot be awarded."))
    before = nomination.status
    nomination.status = target
    fields = ["status"]
    if target in (S.AWARDED, S.REJECTED, S.REVOKED, S.WITHDRAWN):
        nomination.decided_at = timezone.now()
        fields.append("decided_at")
    bump(nomination, *fields)
    record(
        nomination=nomination,
        actor=actor,
        kind=NominationEventKind.TRANSITION,
        action="recognition.nomination_transition",
        summary=f"{S(before).label} → {S(target).label}",
        reason=text,
        from_status=before,
        to_status=target,
        step=STEP_OF.get(before, "") if Party.ORGANISER in allowed[target] else "",
        before={"status": before},
        after={"status": target},
    )
    return nomination
