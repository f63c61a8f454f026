"""Objections raised during the public notice (公示) and their handling by the organiser."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldErrors, NotFound

from ..enums import NominationEventKind, NominationStatus, ObjectionStatus, Party
from ..models import Nomination, Objection
from ..policies import nomination_require_party
from .common import clean_text, record


@transaction.atomic
def objection_record(
    *,
    actor: Actor,
    nomination: Nomination,
    content: Any,
    objector: Any = "",
    received_on: Any = None,
    today: dt.date | None = None,
) -> Objection:
    """The organiser records an objection received (by letter, telephone, in person) while the
    nomination is in public notice; it must be received within the notice period."""
    nomination_require_party(actor, nomination, Party.ORGANISER)
    today = today or timezone.localdate()
    errors = FieldErrors()
    text = clean_text("content", content, errors, required=True, limit=5000)
    who = clean_text("objector", objector, errors, required=False, limit=100)
    received = clean_date("received_on", received_on, errors, today=today) or today
    award_round = nomination.round
    starts, ends = award_round.notice_starts_on, award_round.notice_ends_on
    if "received_on" not in errors.errors and starts and ends and not starts <= received <= ends:
        errors.add(
            "received_on",
            "outside_notice",
            _("Objections are accepted from %(a)s to %(b)s.") % {"a": starts, "b": ends},
        )
    errors.raise_if_any()
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.IN_NOTICE:
        raise Conflict(_("Objections are recorded while the nomination is in public notice."))
    objection = Objection.objects.create(
        nomination=nomination,
        received_on=received,
        objector=who,
        content=text,
        recorded_by=actor.user,
    )
    record(
        nomination=nomination,
        actor=actor,
        kind=NominationEventKind.OBJECTION,
        action="recognition.objection_record",
        summary=_("Objection received on %(date)s") % {"date": received},
        after={"objection": objection.pk, "received_on": received},
    )
    return objection


@transaction.atomic
def objection_handle(
    *, actor: Actor, nomination: Nomination, objection_id: Any, decision: Any, note: Any
) -> Objection:
    """Uphold or dismiss an open objection, with the findings of the check."""
    nomination_require_party(actor, nomination, Party.ORGANISER)
    errors = FieldErrors()
    outcome = str(decision or "")
    if outcome not in (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED):
        errors.add("decision", "invalid_choice", _("Uphold or dismiss the objection."))
    findings = clean_text("note", note, errors, required=True, limit=5000)
    errors.raise_if_any()
    objection = (
        Objection.objects.select_for_update().filter(nomination=nomination, pk=objection_id).first()
    )
    if objection is None:
        raise NotFound()
    if objection.status != ObjectionStatus.OPEN:
        raise Conflict(_("This objection was already handled."))
    objection.status = outcome
    objection.handling_note = findings
    objection.handled_by = actor.user
    objection.handled_at = timezone.now()
    objection.save(update_fields=["status", "handling_note", "handled_by", "handled_at"])
    record(
        nomination=nomination,
        actor=actor,
        kind=NominationEventKind.OBJECTION,
        action="recognition.objection_handle",
        summary=_("Objection %(outcome)s") % {"outcome": ObjectionStatus(outcome).label.lower()},
        reason=findings,
        before={"objection": objection.pk, "status": ObjectionStatus.OPEN},
        after={"objection": objection.pk, "status": outcome},
    )
    return objection
