"""API schemas of cases. Inputs are lenient on purpose (the services validate every field and
name all bad ones in one 422); outputs carry the computed days left and near/overdue flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Schema
from pydantic import ConfigDict

from .selectors import near_days


class ClaimantIn(Schema):
    worker_id: Any = None
    amount_claimed: Any = None


class RespondentIn(Schema):
    employer_id: Any = None
    role: str | None = None


class ProjectIn(Schema):
    name: str | None = None
    address: str | None = None
    region: str | None = None


class CaseCreate(Schema):
    model_config = ConfigDict(
        json_schema_extra={"required": ["type", "summary", "region", "claimants"]}
    )

    type: str | None = None
    platform_issue: str | None = None
    channel: str | None = None
    summary: str | None = None
    description: str | None = None
    region: str | None = None
    intake_station_id: Any = None
    incident_on: Any = None
    infringement_known_on: Any = None
    claimants: list[ClaimantIn] | None = None
    respondents: list[RespondentIn] | None = None
    project: ProjectIn | None = None
    project_id: Any = None  # an existing project instead of `project`


class VersionIn(Schema):
    version: Any = None


class TransitionIn(VersionIn):
    model_config = ConfigDict(json_schema_extra={"required": ["to_status", "reason", "version"]})

    to_status: str | None = None
    reason: str | None = None
    resolution: str | None = None


class AssignIn(VersionIn):
    user_id: Any = None
    reason: str | None = None


class OrganisationIn(VersionIn):
    organisation_id: Any = None
    reason: str | None = None


class ClaimantAddIn(VersionIn):
    worker_id: Any = None
    amount_claimed: Any = None


class OutcomeIn(VersionIn):
    outcome: str | None = None
    amount_recovered: Any = None
    satisfaction: Any = None


class ExtendIn(VersionIn):
    days: Any = None
    reason: str | None = None


class MetIn(VersionIn):
    met_on: Any = None


class NoteIn(Schema):
    text: str | None = None


def _days_left(due: dt.date | None) -> int | None:
    return (due - timezone.localdate()).days if due else None


class DeadlineRead(Schema):
    id: int
    kind: str
    legal_basis: str
    trust: str
    start_date: dt.date
    unit: str
    length: int
    extended_by: int
    due_date: dt.date
    status: str
    met_on: dt.date | None
    calendar_missing: bool
    days_left: int | None
    near: bool
    overdue: bool

    @staticmethod
    def resolve_days_left(obj: Any) -> int | None:
        return _days_left(obj.due_date) if obj.status == "open" else None

    @staticmethod
    def resolve_near(obj: Any) -> bool:
        left = DeadlineRead.resolve_days_left(obj)
        return left is not None and 0 <= left <= near_days()

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        left = DeadlineRead.resolve_days_left(obj)
        return left is not None and left < 0


class ClaimantRead(Schema):
    id: int
    worker_id: int
    worker_name: str
    amount_claimed: Decimal
    amount_recovered: Decimal | None
    outcome: str
    satisfaction: int | None
    followed_up_at: dt.datetime | None

    @staticmethod
    def resolve_worker_name(obj: Any) -> str:
        return obj.worker.name


class RespondentRead(Schema):
    id: int
    employer_id: int
    employer_name: str
    credit_code: str
    role: str
    project_id: int | None
    project_name: str
    project_flagged: bool

    @staticmethod
    def resolve_employer_name(obj: Any) -> str:
        return obj.employer.name

    @staticmethod
    def resolve_credit_code(obj: Any) -> str:
        return obj.employer.credit_code

    @staticmethod
    def resolve_project_name(obj: Any) -> str:
        return obj.project.name if obj.project_id else ""

    @staticmethod
    def resolve_project_flagged(obj: Any) -> bool:
        return bool(obj.project_id and obj.project.arrears_flagged)


class CaseEventRead(Schema):
    id: int
    kind: str
    at: dt.datetime
    actor: str
    from_status: str
    to_status: str
    reason: str
    summary: str
    before: Any
    after: Any

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_label


class CaseListItem(Schema):
    id: int
    reference: str
    type: str
    platform_issue: str
    channel: str
    status: str
    version: int
    summary: str
    region: str
    organisation_id: int
    intake_station_id: int | None
    assigned_to_id: int | None
    referred_to_id: int | None
    received_at: dt.datetime
    is_collective: bool
    resolution: str
    next_due: dt.date | None
    days_left: int | None
    near: bool
    overdue: bool

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_next_due(obj: Any) -> dt.date | None:
        return getattr(obj, "next_due", None)

    @staticmethod
    def resolve_days_left(obj: Any) -> int | None:
        return _days_left(getattr(obj, "next_due", None))

    @staticmethod
    def resolve_near(obj: Any) -> bool:
        left = _days_left(getattr(obj, "next_due", None))
        return left is not None and 0 <= left <= near_days()

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        left = _days_left(getattr(obj, "next_due", None))
        return left is not None and left < 0


class CaseRead(CaseListItem):
    description: str
    incident_on: dt.date | None
    infringement_known_on: dt.date | None
    calendar_missing: bool
    claimants: list[ClaimantRead]
    respondents: list[RespondentRead]
    deadlines: list[DeadlineRead]
    timeline: list[CaseEventRead]

    @staticmethod
    def resolve_claimants(obj: Any) -> list[Any]:
        return list(obj.claimants.all())

    @staticmethod
    def resolve_respondents(obj: Any) -> list[Any]:
        return list(obj.respondents.all())

    @staticmethod
    def resolve_deadlines(obj: Any) -> list[Any]:
        return list(obj.deadlines.all())

    @staticmethod
    def resolve_timeline(obj: Any) -> list[Any]:
        return list(obj.events.all())

    @staticmethod
    def resolve_next_due(obj: Any) -> dt.date | None:
        due = [d.due_date for d in obj.deadlines.all() if d.status == "open"]
        return min(due) if due else None

    @staticmethod
    def resolve_days_left(obj: Any) -> int | None:
        return _days_left(CaseRead.resolve_next_due(obj))

    @staticmethod
    def resolve_near(obj: Any) -> bool:
        left = CaseRead.resolve_days_left(obj)
        return left is not None and 0 <= left <= near_days()

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        left = CaseRead.resolve_days_left(obj)
        return left is not None and left < 0

    @staticmethod
    def resolve_calendar_missing(obj: Any) -> bool:
        return any(d.calendar_missing for d in obj.deadlines.all() if d.status == "open")


class CaseFilterIn(Schema):
    status: str | None = None
    type: str | None = None
    region: str | None = None
    assigned_to: str | None = None
    referred: str | None = None
    overdue: bool | None = None
    near: bool | None = None
    reference: str | None = None
    worker_id: int | None = None
    employer_id: int | None = None
    project_id: int | None = None


class NotificationRead(Schema):
    id: int
    case_id: int
    case_reference: str
    kind: str
    text: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @staticmethod
    def resolve_case_reference(obj: Any) -> str:
        return obj.case.reference


class NotificationFilterIn(Schema):
    unread: bool | None = None


class CalendarDayIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["date", "is_working_day"]})

    date: Any = None
    is_working_day: Any = None
    name: str | None = None


class CalendarDayRead(Schema):
    date: dt.date
    is_working_day: bool
    name: str


class CalendarFilterIn(Schema):
    year: int | None = None


class AttachmentRead(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    description: str
    uploaded_at: dt.datetime
    uploaded_by: str | None

    @staticmethod
    def resolve_uploaded_by(obj: Any) -> str | None:
        return obj.uploaded_by.get_username() if obj.uploaded_by_id else None


class ProjectEmployer(Schema):
    id: int
    name: str
    credit_code: str
    arrears_flagged: bool


class ProjectRead(Schema):
    id: int
    name: str
    address: str
    region: str
    region_name: str
    general_contractor: ProjectEmployer | None
    subcontractors: list[ProjectEmployer]
    arrears_flagged: bool
    arrears_flag_reason: str
    arrears_flag_changed_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Any) -> str:
        from gongyou.regions.selectors import region_label

        return region_label(obj.region_id)

    @staticmethod
    def resolve_subcontractors(obj: Any) -> list[Any]:
        return list(obj.subcontractors.all())


class ProjectFilterIn(Schema):
    name: str | None = None
    region: str | None = None
    flagged: bool | None = None
    employer_id: int | None = None


class ProjectFlagIn(Schema):
    model_config = ConfigDict(json_schema_extra={"required": ["flagged", "reason"]})

    flagged: Any = None
    reason: str | None = None
