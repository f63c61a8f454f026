"""Integration activities run by unions and stations, and the registrations of workers (or their
children) for them: create and edit, the activity lifecycle (`activity_transition`), registering,
the registration lifecycle (`registration_transition`: cancel, attendance) and feedback.

Places: `Activity.places_taken` changes only through `_take_place`/`_free_place` here. Taking a
place is one conditional UPDATE (`places_taken < places`); concurrent registrations queue on the
row lock and the loser's UPDATE matches nothing, so it goes to the waiting list (or gets
ActivityFull). The CHECK constraint `activity_places_not_overbooked` backs it up — training's
seat counter (docs/decisions/0007). A freed place goes to the first on the waiting list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record, audit_record_for_workers, snapshot
from gongyou.core.cleaning import clean_date, clean_int, clean_text
from gongyou.core.errors import (
    Conflict,
    FieldError,
    FieldErrors,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from gongyou.regions.selectors import region_is_known
from gongyou.settlement import engine
from gongyou.stations.models import Station
from gongyou.stations.policies import station_is_visible
from gongyou.workers.models import Worker
from gongyou.workers.selectors import worker_get

from ..enums import (
    ACTIVITY_EDITABLE,
    ACTIVITY_TRANSITIONS,
    ATTENDANCE,
    PLACE_HOLDING,
    REGISTRATION_TRANSITIONS,
    ActivityKind,
    ActivityStatus,
    Audience,
    RegistrationStatus,
    Relation,
)
from ..models import Activity, ActivityRegistration, FamilyMember
from ..policies import (
    activity_can_create,
    activity_can_open,
    activity_can_register,
    activity_has_started,
    activity_require_can_manage,
    activity_require_can_register,
    activity_require_visible,
)
from .catalogue import TransitionNotAllowed, VersionChanged, user_of

A = ActivityStatus
R = RegistrationStatus
ACTIVITY_FIELDS = [
    "kind",
    "title",
    "description",
    "station",
    "region",
    "venue",
    "address",
    "starts_at",
    "ends_at",
    "places",
    "waiting_list",
    "registration_opens_on",
    "registration_closes_on",
    "audience",
    "child_age_min",
    "child_age_max",
]
MAX_PLACES = 100_000


class ActivityFull(Conflict):
    code = "activity_full"
    default_message = gettext_lazy("The activity has no free place and no waiting list.")


class AlreadyRegistered(Conflict):
    code = "already_registered"
    default_message = gettext_lazy("Already registered for this activity.")


class NotAnAttendee(Conflict):
    code = "not_an_attendee"
    default_message = gettext_lazy("Only people who attended the activity can give feedback.")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# -- what the record's state allows --------------------------------------------------------------
# Each rule below is asked by the service that enforces it and by the pages that offer the
# control, so a page never offers a write the service refuses because of the activity's state.

NOT_EDITABLE = gettext_lazy("A held or cancelled activity is a record and cannot be edited.")


def activity_can_edit(activity: Activity) -> bool:
    """Held and cancelled activities are a record: no more edits."""
    return activity.status in ACTIVITY_EDITABLE


def activity_registration_open(activity: Activity, *, now: dt.datetime | None = None) -> bool:
    """Whether a worker can be registered now: the activity is open and today is inside its
    registration window."""
    day = timezone.localdate(_now(now))
    return (
        activity.status == A.OPEN
        and activity.registration_opens_on <= day <= activity.registration_closes_on
    )


def activity_registrations_cancellable(activity: Activity) -> bool:
    """Registrations are cancelled until the activity is held or cancelled (then a record)."""
    return activity.status in (A.DRAFT, A.OPEN, A.CLOSED)


def activity_attendance_open(activity: Activity, *, now: dt.datetime | None = None) -> bool:
    """Attendance is recorded once the activity has started and registration is closed (or it
    is held)."""
    return activity.status in (A.CLOSED, A.HELD) and activity_has_started(activity, now=now)


def registration_can_give_feedback(registration: ActivityRegistration) -> bool:
    """Only a registration marked attended takes feedback."""
    return registration.status == R.ATTENDED


def _bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes")
    return bool(value)


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?$")


def clean_datetime(field: str, value: Any, errors: FieldErrors) -> dt.datetime | None:
    """An aware datetime from a datetime or 'YYYY-MM-DD HH:MM' (local time unless an offset is
    given); required."""
    if value in (None, ""):
        errors.add(field, "required", _("Enter a date and time (YYYY-MM-DD HH:MM)."))
        return None
    if not isinstance(value, dt.datetime):
        text = str(value).strip()
        if not _DATETIME.match(text):
            errors.add(field, "invalid_datetime", _("Enter a date and time as YYYY-MM-DD HH:MM."))
            return None
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            errors.add(field, "invalid_datetime", _("Enter a date and time as YYYY-MM-DD HH:MM."))
            return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _region(actor: Actor, value: Any, errors: FieldErrors) -> str | None:
    code = str(value or "").strip()
    if not code:
        errors.add("region", "required", _("Choose the region where the activity takes place."))
        return None
    if not re.fullmatch(r"\d{6}", code) or not region_is_known(code):
        errors.add("region", "unknown_region", _("Choose a known region (6-digit code)."))
        return None
    if not actor.covers_region(code):
        errors.add("region", "out_of_scope", _("The region is outside your area."))
        return None
    return code


def _station(actor: Actor, value: Any, errors: FieldErrors) -> Station | None:
    if value in (None, ""):
        if actor.is_station_bound:
            return Station.objects.filter(pk=actor.station_id or 0).first()
        return None
    sid = clean_int("station", value, errors, required=False, low=1, high=2**62)
    station = Station.objects.filter(pk=sid).first() if sid else None
    if sid and (station is None or not station_is_visible(actor, station)):
        errors.add("station", "not_found", _("No such station in your area."))
        return None
    if station is not None and actor.is_station_bound and station.pk != actor.station_id:
        errors.add("station", "not_your_station", _("Station staff organise at their own station."))
        return None
    return station


def activity_clean(
    actor: Actor, data: Mapping[str, Any], *, current: Activity | None = None
) -> dict[str, Any]:
    """Every field of an activity checked; raises ValidationFailed naming each bad one."""
    errors = FieldErrors()
    out: dict[str, Any] = {}
    kind = str(data.get("kind") or "")
    if kind not in ActivityKind.values:
        errors.add("kind", "invalid_choice" if kind else "required", _("Choose the kind."))
    out["kind"] = kind
    out["title"] = clean_text("title", data.get("title"), errors, required=True, limit=200)
    out["description"] = clean_text(
        "description", data.get("description"), errors, required=False, limit=4000
    )
    station = _station(actor, data.get("station"), errors)
    out["station"] = station
    region_value = data.get("region") or (station.region_id if station else "")
    out["region_id"] = _region(actor, region_value, errors)
    if station is not None and out["region_id"] and station.region_id != out["region_id"]:
        errors.add(
            "station",
            "other_region",
            _("The station is in another region; leave the region empty to use the station's."),
        )
    out["venue"] = clean_text("venue", data.get("venue"), errors, required=True, limit=200)
    out["address"] = clean_text("address", data.get("address"), errors, required=False, limit=300)
    starts = clean_datetime("starts_at", data.get("starts_at"), errors)
    ends = clean_datetime("ends_at", data.get("ends_at"), errors)
    if starts and ends and ends < starts:
        errors.add("ends_at", "before_start", _("The activity cannot end before it starts."))
    out["starts_at"], out["ends_at"] = starts, ends
    places = clean_int("places", data.get("places"), errors, low=1, high=MAX_PLACES)
    if places is not None and current is not None and places < current.places_taken:
        errors.add(
            "places",
            "below_taken",
            _("%(n)d places are taken; the activity cannot have fewer.")
            % {"n": current.places_taken},
        )
    out["places"] = places
    out["waiting_list"] = _bool(data.get("waiting_list"), True)
    opens = clean_date(
        "registration_opens_on", data.get("registration_opens_on"), errors, allow_future=True
    )
    closes = clean_date(
        "registration_closes_on", data.get("registration_closes_on"), errors, allow_future=True
    )
    for field, value in (("registration_opens_on", opens), ("registration_closes_on", closes)):
        if value is None and field not in errors.errors:
            errors.add(field, "required", _("Enter a date as YYYY-MM-DD."))
    if opens and closes and closes < opens:
        errors.add(
            "registration_closes_on",
            "before_opening",
            _("Registration cannot close before it opens."),
        )
    if closes and starts and closes > timezone.localdate(starts):
        errors.add(
            "registration_closes_on",
            "after_start",
            _("Registration must close by the day the activity starts."),
        )
    out["registration_opens_on"], out["registration_closes_on"] = opens, closes
    audience = str(data.get("audience") or Audience.WORKERS)
    if audience not in Audience.values:
        errors.add("audience", "invalid_choice", _("Choose workers or their children."))
    if kind == ActivityKind.CHILDCARE_CLASS and audience != Audience.CHILDREN:
        errors.add("audience", "childcare_for_children", _("A child-care class is for children."))
    out["audience"] = audience
    out["child_age_min"] = out["child_age_max"] = None
    if audience == Audience.CHILDREN:
        lo = clean_int("child_age_min", data.get("child_age_min"), errors, low=0, high=17)
        hi = clean_int("child_age_max", data.get("child_age_max"), errors, low=0, high=17)
        if lo is not None and hi is not None and hi < lo:
            errors.add("child_age_max", "below_min", _("The upper age is below the lower age."))
        out["child_age_min"], out["child_age_max"] = lo, hi
    if (
        current is not None
        and audience != current.audience
        and current.registrations.exclude(status=R.CANCELLED).exists()
    ):
        errors.add(
            "audience",
            "has_registrations",
            _("People are registered; the audience can no longer change."),
        )
    errors.raise_if_any()
    return out


def _snap(activity: Activity) -> dict[str, Any]:
    return snapshot(activity, [*ACTIVITY_FIELDS, "status", "places_taken", "organiser"])


@transaction.atomic
def activity_create(*, actor: Actor, data: Mapping[str, Any]) -> Activity:
    """A new activity (a draft) organised by the actor's organisation."""
    if not activity_can_create(actor):
        raise PermissionDenied()
    if not actor.organisation_id:
        raise ValidationFailed(
            fields={
                "organiser": FieldError(
                    "no_organisation", _("Your account belongs to no organisation to organise it.")
                )
            }
        )
    values = activity_clean(actor, data)
    activity = Activity.objects.create(
        organiser_id=actor.organisation_id, created_by=user_of(actor), **values
    )
    audit_record(
        actor=user_of(actor),
        action="publicservices.activity.create",
        entity=activity,
        after=_snap(activity),
        region_code=activity.region_id,
        summary=activity.title,
    )
    return activity


def _lock(activity_id: int, expected_version: int | None = None) -> Activity:
    activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
    if activity is None:
        raise NotFound()
    if expected_version is not None and activity.version != expected_version:
        raise VersionChanged(_("Someone else changed this activity; reload and try again."))
    return activity


@transaction.atomic
def activity_update(
    *, actor: Actor, activity: Activity, data: Mapping[str, Any], expected_version: int
) -> Activity:
    """Edit an activity that is not held or cancelled (omitted fields keep their value). More
    places go to the waiting list first."""
    activity_require_can_manage(actor, activity)
    locked = _lock(activity.pk, expected_version)
    if not activity_can_edit(locked):
        raise Conflict(str(NOT_EDITABLE))
    current = {f: getattr(locked, f) for f in ACTIVITY_FIELDS if f not in ("station", "region")}
    current["station"] = locked.station_id
    current["region"] = locked.region_id
    values = activity_clean(actor, {**current, **dict(data)}, current=locked)
    before = _snap(locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.version += 1
    locked.save(update_fields=[*values, "version", "updated_at"])
    _promote(actor, locked)
    locked.refresh_from_db()
    audit_record(
        actor=user_of(actor),
        action="publicservices.activity.update",
        entity=locked,
        before=before,
        after=_snap(locked),
        region_code=locked.region_id,
        summary=locked.title,
    )
    return locked


@transaction.atomic
def activity_transition(
    *,
    actor: Actor,
    activity: Activity,
    to_status: str,
    reason: str = "",
    expected_version: int,
    now: dt.datetime | None = None,
) -> Activity:
    """Open or close registration, record the activity as held, or cancel it (with a reason;
    the live registrations are cancelled with it and the workers' timelines say so)."""
    activity_require_can_manage(actor, activity)
    errors = FieldErrors()
    target = str(to_status or "")
    if target not in A.values:
        errors.add("to_status", "invalid_choice", _("Choose a status."))
    text = clean_text("reason", reason, errors, required=target == A.CANCELLED, limit=500)
    errors.raise_if_any()
    locked = _lock(activity.pk, expected_version)
    before = locked.status
    if target not in ACTIVITY_TRANSITIONS[before]:
        raise TransitionNotAllowed(
            _("An activity cannot go from “%(a)s” to “%(b)s”.")
            % {"a": A(before).label, "b": A(target).label},
            fields={"to_status": FieldError("not_allowed", _("Not allowed from this status."))},
        )
    moment = _now(now)
    if target == A.OPEN and not activity_can_open(locked, now=moment):
        raise Conflict(
            _("The registration window is over; change the dates to open it again."),
            fields={"registration_closes_on": FieldError("window_over", _("Already passed."))},
        )
    if target == A.HELD and not activity_has_started(locked, now=moment):
        raise Conflict(
            _("The activity starts at %(t)s; it can be recorded as held from then.")
            % {"t": timezone.localtime(locked.starts_at).strftime("%Y-%m-%d %H:%M")},
            fields={"to_status": FieldError("not_started", _("Not started yet."))},
        )
    locked.status = target
    if target == A.CANCELLED:
        locked.cancel_reason = text
        _cancel_all(actor, locked, text)
    locked.version += 1
    # Only these fields: the counter is moved by its own UPDATEs.
    locked.save(update_fields=["status", "cancel_reason", "version", "updated_at"])
    locked.refresh_from_db()
    audit_record(
        actor=user_of(actor),
        action="publicservices.activity.transition",
        entity=locked,
        before={"status": before},
        after={"status": target, **({"reason": text} if text else {})},
        region_code=locked.region_id,
        summary=f"{locked.title}: {A(before).label} → {A(target).label}"
        + (f" ({text})" if text else ""),
    )
    return locked


def _cancel_all(actor: Actor, activity: Activity, reason: str) -> None:
    live = ActivityRegistration.objects.filter(
        activity=activity, status__in=(R.REGISTERED, R.WAITLISTED)
    )
    worker_ids = list(live.values_list("worker_id", flat=True))
    if not worker_ids:
        return
    live.update(
        status=R.CANCELLED,
        holds_place=False,
        reason=reason[:300],
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    Activity.objects.filter(pk=activity.pk).update(places_taken=0)
    audit_record_for_workers(
        actor=user_of(actor),
        action="publicservices.registration.cancel_all",
        worker_ids=worker_ids,
        entity=activity,
        after={"status": R.CANCELLED, "reason": reason},
        region_code=activity.region_id,
        summary=_("%(title)s cancelled: registration cancelled") % {"title": activity.title},
    )


# -- places ----------------------------------------------------------------------------------


def _take_place(activity_id: int) -> bool:
    return bool(
        Activity.objects.filter(pk=activity_id, places_taken__lt=F("places")).update(
            places_taken=F("places_taken") + 1
        )
    )


def _free_place(activity_id: int) -> None:
    Activity.objects.filter(pk=activity_id, places_taken__gt=0).update(
        places_taken=F("places_taken") - 1
    )


def _promote(actor: Actor, activity: Activity, now: dt.datetime | None = None) -> None:
    """Free places go to the waiting list in order of registration (before the activity starts,
    while it is open or closed). The waiting entry is locked before a place is taken for it."""
    if activity.status not in (A.OPEN, A.CLOSED) or _now(now) >= activity.starts_at:
        return
    while True:
        first = (
            ActivityRegistration.objects.select_for_update()
            .filter(activity_id=activity.pk, status=R.WAITLISTED)
            .order_by("created_at", "id")
            .first()
        )
        if first is None or not _take_place(activity.pk):
            return
        first.status, first.holds_place = R.REGISTERED, True
        first.version += 1
        first.save(update_fields=["status", "holds_place", "version", "updated_at"])
        audit_record(
            actor=user_of(actor),
            action="publicservices.registration.promote",
            entity=first,
            worker_id=first.worker_id,
            before={"status": R.WAITLISTED},
            after={"status": R.REGISTERED},
            region_code=activity.region_id,
            summary=_("%(title)s: a place freed, off the waiting list") % {"title": activity.title},
        )


# -- registrations ---------------------------------------------------------------------------


def _worker(actor: Actor, worker_id: Any, errors: FieldErrors) -> Worker | None:
    wid = clean_int("worker_id", worker_id, errors, high=2**62)
    if wid is None:
        return None
    try:
        return worker_get(actor=actor, worker_id=wid)
    except NotFound:
        errors.add("worker_id", "unknown_worker", _("No worker with this number in your area."))
        return None


def _child(
    activity: Activity, worker: Worker | None, member_id: Any, errors: FieldErrors
) -> FamilyMember | None:
    if activity.audience == Audience.WORKERS:
        if member_id not in (None, ""):
            errors.add(
                "family_member_id",
                "not_for_family",
                _("This activity is for workers themselves."),
            )
        return None
    if member_id in (None, ""):
        errors.add(
            "family_member_id",
            "required",
            _("Choose the child (register the worker's children first)."),
        )
        return None
    mid = clean_int("family_member_id", member_id, errors, high=2**62)
    if worker is None or mid is None:
        return None
    member = FamilyMember.objects.filter(worker=worker, pk=mid).first()
    if member is None or member.relation != Relation.CHILD:
        errors.add("family_member_id", "not_a_child", _("No such child of this worker."))
        return None
    if member.birth_date is None:
        errors.add("family_member_id", "no_birth_date", _("Record the child's birth date first."))
        return None
    age = engine.age_on(member.birth_date, timezone.localdate(activity.starts_at))
    lo, hi = activity.child_age_min or 0, activity.child_age_max or 17
    if not lo <= age <= hi:
        errors.add(
            "family_member_id",
            "age_out_of_range",
            _("%(name)s will be %(age)d; the activity is for ages %(lo)d to %(hi)d.")
            % {"name": member.name, "age": age, "lo": lo, "hi": hi},
        )
        return None
    return member


@transaction.atomic
def registration_create(
    *,
    actor: Actor,
    activity: Activity,
    worker_id: Any,
    family_member_id: Any = None,
    note: Any = "",
    now: dt.datetime | None = None,
) -> ActivityRegistration:
    """Register a worker (or their child) while registration is open: a place if one is free,
    else the waiting list (when the activity keeps one), else ActivityFull."""
    activity_require_visible(actor, activity)
    if not activity_can_register(actor):
        raise PermissionDenied()
    errors = FieldErrors()
    worker = _worker(actor, worker_id, errors)
    member = _child(activity, worker, family_member_id, errors)
    text = clean_text("note", note, errors, required=False, limit=300)
    activity = _lock(activity.pk)  # status, window and places checked under the row lock
    moment = _now(now)
    if not activity_registration_open(activity, now=moment):
        if activity.status != A.OPEN:
            errors.add(
                "activity",
                "registration_not_open",
                _("Registration is not open (the activity is “%(s)s”).")
                % {"s": A(activity.status).label},
            )
        elif timezone.localdate(moment) < activity.registration_opens_on:
            errors.add(
                "activity",
                "registration_not_open",
                _("Registration opens on %(d)s.") % {"d": activity.registration_opens_on},
            )
        else:
            errors.add(
                "activity",
                "registration_closed",
                _("Registration closed on %(d)s.") % {"d": activity.registration_closes_on},
            )
    errors.raise_if_any()
    assert worker is not None
    activity_require_can_register(actor, worker)
    live = ActivityRegistration.objects.filter(activity=activity).exclude(status=R.CANCELLED)
    live = live.filter(family_member=member) if member else live.filter(worker=worker)
    if live.filter(family_member__isnull=member is None).exists():
        raise AlreadyRegistered(
            fields={"worker_id": FieldError("already_registered", _("Already registered."))}
        )
    if _take_place(activity.pk):
        status = R.REGISTERED
    elif activity.waiting_list:
        status = R.WAITLISTED
    else:
        raise ActivityFull()
    registration = ActivityRegistration(
        activity=activity,
        worker=worker,
        family_member=member,
        status=status,
        holds_place=status == R.REGISTERED,
        note=text,
        created_by=user_of(actor),
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise AlreadyRegistered() from None
    audit_record(
        actor=user_of(actor),
        action="publicservices.registration.create",
        entity=registration,
        worker_id=worker.pk,
        after={
            "activity": activity.pk,
            "status": status,
            **({"child": member.pk} if member else {}),
        },
        region_code=activity.region_id,
        summary=f"{activity.title}: {R(status).label}" + (f" [{member.name}]" if member else ""),
    )
    return registration


@transaction.atomic
def registration_transition(
    *,
    actor: Actor,
    registration: ActivityRegistration,
    to_status: str,
    reason: Any = "",
    expected_version: int,
    now: dt.datetime | None = None,
) -> ActivityRegistration:
    """Cancel a registration (its place goes to the first on the waiting list) or record
    attendance (the organiser, once the activity has started; attended ⇄ absent corrects it)."""
    errors = FieldErrors()
    target = str(to_status or "")
    if target not in R.values:
        errors.add("to_status", "invalid_choice", _("Choose a status."))
    text = clean_text("reason", reason, errors, required=False, limit=300)
    errors.raise_if_any()
    activity = _lock(registration.activity_id)
    activity_require_visible(actor, activity)
    if target in ATTENDANCE:
        activity_require_can_manage(actor, activity)
    elif not activity_can_register(actor):
        raise PermissionDenied()
    locked = ActivityRegistration.objects.select_for_update().get(pk=registration.pk)
    if locked.version != expected_version:
        raise VersionChanged(_("Someone else changed this registration; reload and try again."))
    before = locked.status
    if target not in REGISTRATION_TRANSITIONS[before]:
        raise TransitionNotAllowed(
            _("A registration cannot go from “%(a)s” to “%(b)s”.")
            % {"a": R(before).label, "b": R(target).label},
            fields={"to_status": FieldError("not_allowed", _("Not allowed from this status."))},
        )
    moment = _now(now)
    if target == R.CANCELLED and not activity_registrations_cancellable(activity):
        raise Conflict(
            _("The activity is “%(s)s”; its registrations are a record now.")
            % {"s": A(activity.status).label}
        )
    if target in ATTENDANCE:
        if not activity_attendance_open(activity, now=moment):
            raise Conflict(
                _("Attendance is recorded once the activity has started and registration closed."),
                fields={"to_status": FieldError("not_started", _("Not started yet."))},
            )
        if target == R.ABSENT and locked.rating is not None:
            raise Conflict(
                _("The attendee gave feedback; their attendance cannot be changed."),
                fields={"to_status": FieldError("feedback_given", _("Feedback was given."))},
            )
    fields = ["status", "version", "updated_at"]
    locked.status = target
    if target == R.CANCELLED:
        locked.reason = text
        fields.append("reason")
        if locked.holds_place:
            locked.holds_place = False
            fields.append("holds_place")
            _free_place(activity.pk)
    if target in ATTENDANCE:
        locked.attendance_at = moment
        fields.append("attendance_at")
    assert target in PLACE_HOLDING or not locked.holds_place
    locked.version += 1
    locked.save(update_fields=fields)
    if target == R.CANCELLED:
        _promote(actor, activity, now)
    audit_record(
        actor=user_of(actor),
        action="publicservices.registration.transition",
        entity=locked,
        worker_id=locked.worker_id,
        before={"status": before},
        after={"status": target, **({"reason": text} if text else {})},
        region_code=activity.region_id,
        summary=f"{activity.title}: {R(before).label} → {R(target).label}",
    )
    return locked


@transaction.atomic
def registration_feedback(
    *,
    actor: Actor,
    registration: ActivityRegistration,
    rating: Any,
    comment: Any = "",
    now: dt.datetime | None = None,
) -> ActivityRegistration:
    """An attendee's rating (1–5) and comment; given again, it replaces the earlier one."""
    activity_require_visible(actor, registration.activity)
    if not activity_can_register(actor):
        raise PermissionDenied()
    errors = FieldErrors()
    stars = clean_int("rating", rating, errors, low=1, high=5)
    text = clean_text("comment", comment, errors, required=False, limit=2000)
    errors.raise_if_any()
    locked = (
        ActivityRegistration.objects.select_for_update()
        .select_related("activity")
        .get(pk=registration.pk)
    )
    if not registration_can_give_feedback(locked):
        raise NotAnAttendee(
            fields={"rating": FieldError("not_an_attendee", _("Not recorded as attended."))}
        )
    before = {"rating": locked.rating, "comment": locked.comment}
    locked.rating, locked.comment, locked.feedback_at = stars, text, _now(now)
    locked.version += 1
    locked.save(update_fields=["rating", "comment", "feedback_at", "version", "updated_at"])
    audit_record(
        actor=user_of(actor),
        action="publicservices.registration.feedback",
        entity=locked,
        worker_id=locked.worker_id,
        before=before if before["rating"] is not None else None,
        after={"rating": stars, "comment": text},
        region_code=locked.activity.region_id,
        summary=f"{locked.activity.title}: {stars}/5",
    )
    return locked
