"""The education upgrade (求学圆梦): institutions, programmes, study enrolments with the union
tuition subsidy, credits, and graduation that raises the worker's education level."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.classifications.enums import EDUCATION_RANK
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldError, FieldErrors, NotFound, PermissionDenied
from gongyou.workers.selectors import worker_get
from gongyou.workers.services import worker_update

from ..enums import (
    STUDY_TRANSITIONS,
    CampaignKind,
    InstitutionKind,
    ProgrammeLevel,
    StudyStatus,
)
from ..models import CreditRecord, Institution, Programme, StudyEnrolment
from ..policies import campaigns_visible_to, education_require_can_manage, study_require_can_manage
from .common import (
    TransitionNotAllowed,
    bump,
    clean_amount,
    clean_int,
    clean_region,
    clean_text,
    clean_version,
    lock,
)

S = StudyStatus


class AlreadyStudying(Conflict):
    code = "already_studying"
    default_message = gettext_lazy("The worker already has a place on this programme.")


@transaction.atomic
def institution_create(*, actor: Actor, data: dict[str, Any]) -> Institution:
    education_require_can_manage(actor)
    errors = FieldErrors()
    name = clean_text("name", data.get("name"), errors, required=True, limit=200)
    kind = str(data.get("kind") or "")
    if kind not in InstitutionKind.values:
        errors.add("kind", "invalid_choice", _("Choose the kind of institution."))
    region = clean_region("region", data.get("region"), errors, actor=None)
    errors.raise_if_any()
    assert region is not None
    if Institution.objects.filter(name=name).exists():
        raise Conflict(
            _("An institution of this name is registered."),
            fields={"name": FieldError("duplicate", _("Already registered."))},
        )
    institution = Institution.objects.create(name=name, kind=kind, region_id=region)
    audit_record(
        actor=actor.user,
        action="training.institution.create",
        entity=institution,
        after=snapshot(institution, ["name", "kind", "region"]),
        region_code=region or "",
        summary=name,
    )
    return institution


@transaction.atomic
def programme_create(*, actor: Actor, data: dict[str, Any]) -> Programme:
    education_require_can_manage(actor)
    errors = FieldErrors()
    iid = clean_int("institution", data.get("institution"), errors, high=2**62)
    institution = Institution.objects.filter(pk=iid).first() if iid is not None else None
    if iid is not None and institution is None:
        errors.add("institution", "unknown", _("Choose a registered institution."))
    campaign = None
    if data.get("campaign") not in (None, ""):
        cid = clean_int("campaign", data.get("campaign"), errors, high=2**62)
        campaign = campaigns_visible_to(actor).filter(pk=cid).first() if cid else None
        if cid is not None and campaign is None:
            errors.add("campaign", "unknown", _("Choose a campaign of your area."))
        elif campaign is not None and campaign.kind != CampaignKind.EDUCATION_UPGRADE:
            errors.add(
                "campaign", "wrong_kind", _("Programmes belong to education upgrade campaigns.")
            )
    name = clean_text("name", data.get("name"), errors, required=True, limit=200)
    level = str(data.get("level") or "")
    if level not in ProgrammeLevel.values:
        errors.add("level", "invalid_choice", _("Choose junior college or bachelor."))
    credits = clean_int("credits_required", data.get("credits_required"), errors, low=1, high=500)
    tuition = clean_amount("tuition", data.get("tuition"), errors, required=True)
    subsidy = clean_amount("union_subsidy", data.get("union_subsidy") or 0, errors)
    if tuition is not None and subsidy is not None and subsidy > tuition:
        errors.add("union_subsidy", "above_tuition", _("The subsidy cannot exceed the tuition."))
    starts = clean_date("starts_on", data.get("starts_on"), errors, allow_future=True)
    if starts is None and "starts_on" not in errors.errors:
        errors.add("starts_on", "required", _("Enter when the programme starts."))
    errors.raise_if_any()
    assert institution is not None and credits is not None and tuition is not None
    assert subsidy is not None and starts is not None
    programme = Programme.objects.create(
        institution=institution,
        campaign=campaign,
        name=name,
        level=level,
        credits_required=credits,
        tuition=tuition,
        union_subsidy=subsidy,
        starts_on=starts,
        blended=bool(data.get("blended", True)),
    )
    audit_record(
        actor=actor.user,
        action="training.programme.create",
        entity=programme,
        after=snapshot(
            programme,
            [
                "institution",
                "campaign",
                "name",
                "level",
                "credits_required",
                "tuition",
                "union_subsidy",
                "starts_on",
            ],
        ),
        summary=str(programme),
    )
    return programme


@transaction.atomic
def study_apply(
    *, actor: Actor, programme: Programme, worker_id: Any, subsidy: Any = None
) -> StudyEnrolment:
    """Apply a worker for a programme; the union subsidy defaults to the programme's."""
    study_require_can_manage(actor)
    errors = FieldErrors()
    wid = clean_int("worker_id", worker_id, errors, high=2**62)
    worker = None
    if wid is not None:
        try:
            worker = worker_get(actor=actor, worker_id=wid)
        except NotFound:
            errors.add("worker_id", "unknown_worker", _("No worker with this number in your area."))
    amount = clean_amount("subsidy", subsidy, errors)
    if amount is None and "subsidy" not in errors.errors:
        amount = programme.union_subsidy
    if amount is not None and amount > programme.tuition:
        errors.add("subsidy", "above_tuition", _("The subsidy cannot exceed the tuition."))
    if worker is not None and not actor.covers_region(worker.current_region_id):
        errors.add(
            "worker_id",
            "out_of_scope",
            _("The worker lives outside your area; their current region's union funds them."),
        )
    errors.raise_if_any()
    assert worker is not None and amount is not None
    rank = EDUCATION_RANK.get(worker.education or "", -1)
    if rank >= EDUCATION_RANK[programme.level]:
        raise Conflict(
            _("The worker's education (%(e)s) is already at or above this programme's level.")
            % {"e": worker.get_education_display()},
            fields={"worker_id": FieldError("already_qualified", _("Already at this level."))},
        )
    if (
        StudyEnrolment.objects.filter(programme=programme, worker=worker)
        .exclude(status=S.WITHDRAWN)
        .exists()
    ):
        raise AlreadyStudying()
    study = StudyEnrolment(
        programme=programme,
        worker=worker,
        region_id=worker.current_region_id,
        subsidy=amount,
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            study.save()
    except IntegrityError:
        raise AlreadyStudying() from None
    audit_record(
        actor=actor.user,
        action="training.study.apply",
        entity=study,
        worker_id=worker.pk,
        after={"programme": programme.pk, "subsidy": amount},
        region_code=study.region_id,
        summary=_("Applied for %(p)s (%(l)s)")
        % {"p": programme, "l": ProgrammeLevel(programme.level).label},
    )
    return study


def credits_earned(study: StudyEnrolment) -> int:
    return int(study.credits.aggregate(total=Sum("credits"))["total"] or 0)


@transaction.atomic
def credit_record(
    *, actor: Actor, study: StudyEnrolment, module: Any, credits: Any, earned_on: Any
) -> CreditRecord:
    """Bank the credits of one module (or recognised prior learning)."""
    study_require_can_manage(actor, study)
    errors = FieldErrors()
    name = clean_text("module", module, errors, required=True, limit=200)
    amount = clean_int("credits", credits, errors, low=1, high=100)
    day = clean_date("earned_on", earned_on, errors)
    if day is None and "earned_on" not in errors.errors:
        errors.add("earned_on", "required", _("Enter when the credits were earned."))
    if study.status != S.STUDYING:
        errors.add(
            "study",
            "not_studying",
            _("Credits are recorded while the worker is studying (now: %(s)s).")
            % {"s": S(study.status).label},
        )
    errors.raise_if_any()
    assert amount is not None and day is not None
    if study.credits.filter(module=name).exists():
        raise Conflict(
            _("Credits for this module are already recorded."),
            fields={"module": FieldError("duplicate", _("Already recorded."))},
        )
    record = CreditRecord.objects.create(
        study=study, module=name, credits=amount, earned_on=day, recorded_by=actor.user
    )
    audit_record(
        actor=actor.user,
        action="training.study.credits",
        entity=record,
        worker_id=study.worker_id,
        after={"study": study.pk, "module": name, "credits": amount},
        region_code=study.region_id,
        summary=_("%(n)d credits: %(m)s") % {"n": amount, "m": name},
    )
    return record


@transaction.atomic
def study_transition(
    *,
    actor: Actor,
    study: StudyEnrolment,
    to_status: Any,
    version: Any,
    reason: Any = "",
    graduated_on: Any = None,
    today: dt.date | None = None,
) -> StudyEnrolment:
    """Admit, withdraw, or graduate (all credits earned): graduation raises the worker's
    education level through workers.services.worker_update when the programme's is higher."""
    study_require_can_manage(actor, study)
    errors = FieldErrors()
    target = str(to_status or "")
    if target not in S.values:
        errors.add("to_status", "invalid_choice", _("Choose a status."))
    version_n = clean_version(version, errors)
    text = clean_text("reason", reason, errors, required=target == S.WITHDRAWN, limit=300)
    day = None
    if target == S.GRADUATED:
        day = clean_date("graduated_on", graduated_on, errors, today=today) or (
            None if "graduated_on" in errors.errors else (today or timezone.localdate())
        )
    errors.raise_if_any()
    study = lock(StudyEnrolment, study.pk, version_n)
    before = study.status
    allowed = STUDY_TRANSITIONS.get(before, {})
    if target not in allowed:
        raise TransitionNotAllowed(
            _("A study enrolment cannot go from “%(a)s” to “%(b)s”.")
            % {"a": S(before).label, "b": S(target).label}
        )
    if not actor.roles & allowed[target]:
        raise PermissionDenied(_("Your role cannot make this change."))
    programme = study.programme
    after: dict[str, Any] = {"status": target}
    fields = ["status"]
    if target == S.GRADUATED:
        earned = credits_earned(study)
        if earned < programme.credits_required:
            raise Conflict(
                _("%(e)d of %(n)d credits earned; graduation needs all of them.")
                % {"e": earned, "n": programme.credits_required},
                extra={"credits_earned": earned, "credits_required": programme.credits_required},
            )
        study.graduated_on = day
        fields.append("graduated_on")
        after["graduated_on"] = day
        worker = study.worker
        if EDUCATION_RANK.get(worker.education or "", -1) < EDUCATION_RANK[programme.level]:
            worker_update(actor=actor, worker=worker, data={"education": programme.level})
            after["education"] = programme.level
    study.status = target
    bump(study, *fields)
    audit_record(
        actor=actor.user,
        action="training.study.transition",
        entity=study,
        worker_id=study.worker_id,
        before={"status": before},
        after=after,
        purpose=text,
        region_code=study.region_id,
        summary=f"{programme}: {S(before).label} → {S(target).label}",
    )
    return study
