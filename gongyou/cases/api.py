from urllib.parse import quote

from django.http import FileResponse, HttpRequest
from django.views.decorators.cache import never_cache
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination
from gongyou.employers.selectors import employer_get

from . import selectors, services
from .schemas import (
    AssignIn,
    AttachmentRead,
    CalendarDayIn,
    CalendarDayRead,
    CalendarFilterIn,
    CaseCreate,
    CaseFilterIn,
    CaseListItem,
    CaseRead,
    ClaimantAddIn,
    ClaimantRead,
    ExtendIn,
    MetIn,
    NoteIn,
    NotificationFilterIn,
    NotificationRead,
    OrganisationIn,
    OutcomeIn,
    ProjectFilterIn,
    ProjectFlagIn,
    ProjectRead,
    TransitionIn,
)

router = Router(tags=["cases"])


def _detail(request: HttpRequest, case_id: int) -> object:
    return selectors.case_detail(actor=actor_for(request.user), case_id=case_id)


@router.post("/cases", response={201: CaseRead, **ERRORS})
def create_case(request: HttpRequest, payload: CaseCreate) -> tuple[int, object]:
    case = services.case_intake(actor=actor_for(request.user), data=payload.model_dump())
    return 201, _detail(request, case.pk)


@router.get("/cases", response={200: list[CaseListItem], **ERRORS})
@paginate(LimitOffsetPagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilterIn]):
    return selectors.case_list(
        actor=actor_for(request.user), filters=selectors.CaseFilter(**filters.model_dump())
    )


@router.get("/cases/{case_id}", response={200: CaseRead, **ERRORS})
def get_case(request: HttpRequest, case_id: int) -> object:
    return _detail(request, case_id)


@router.post("/cases/{case_id}/transition", response={200: CaseRead, **ERRORS})
def transition_case(request: HttpRequest, case_id: int, payload: TransitionIn) -> object:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_transition(actor=actor, case=case, **payload.model_dump())
    return _detail(request, case_id)


@router.post("/cases/{case_id}/assign", response={200: CaseRead, **ERRORS})
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn) -> object:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_assign(actor=actor, case=case, **payload.model_dump())
    return _detail(request, case_id)


@router.post("/cases/{case_id}/transfer", response={200: CaseRead, **ERRORS})
def transfer_case(request: HttpRequest, case_id: int, payload: OrganisationIn) -> object:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_transfer(actor=actor, case=case, **payload.model_dump())
    return selectors.case_detail(actor=actor, case_id=case_id)


@router.post("/cases/{case_id}/refer", response={200: CaseRead, **ERRORS})
def refer_case(request: HttpRequest, case_id: int, payload: OrganisationIn) -> object:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_refer(actor=actor, case=case, **payload.model_dump())
    return _detail(request, case_id)


@router.post("/cases/{case_id}/claimants", response={201: ClaimantRead, **ERRORS})
def add_case_claimant(
    request: HttpRequest, case_id: int, payload: ClaimantAddIn
) -> tuple[int, object]:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    return 201, services.claimant_add(actor=actor, case=case, **payload.model_dump())


@router.patch("/cases/{case_id}/claimants/{claimant_id}", response={200: ClaimantRead, **ERRORS})
def record_claimant_outcome(
    request: HttpRequest, case_id: int, claimant_id: int, payload: OutcomeIn
) -> object:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    data = payload.model_dump(exclude_unset=True)
    return services.claimant_record_outcome(
        actor=actor,
        case=case,
        claimant_id=claimant_id,
        version=data.pop("version", None),
        data=data,
    )


@router.post("/cases/{case_id}/deadlines/{deadline_id}/extend", response={200: CaseRead, **ERRORS})
def extend_case_deadline(
    request: HttpRequest, case_id: int, deadline_id: int, payload: ExtendIn
) -> object:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.deadline_extend(
        actor=actor, case=case, deadline_id=deadline_id, **payload.model_dump()
    )
    return _detail(request, case_id)


@router.post("/cases/{case_id}/deadlines/{deadline_id}/met", response={200: CaseRead, **ERRORS})
def meet_case_deadline(
    request: HttpRequest, case_id: int, deadline_id: int, payload: MetIn
) -> object:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.deadline_meet(actor=actor, case=case, deadline_id=deadline_id, **payload.model_dump())
    return _detail(request, case_id)


@router.post("/cases/{case_id}/notes", response={201: CaseRead, **ERRORS})
def add_case_note(request: HttpRequest, case_id: int, payload: NoteIn) -> tuple[int, object]:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    services.case_note(actor=actor, case=case, text=payload.text)
    return 201, _detail(request, case_id)


@router.get("/employers/{employer_id}/cases", response={200: list[CaseListItem], **ERRORS})
@paginate(LimitOffsetPagination)
def list_employer_cases(request: HttpRequest, employer_id: int):
    actor = actor_for(request.user)
    employer = employer_get(actor=actor, employer_id=employer_id)
    return selectors.employer_cases(actor=actor, employer=employer)


@router.get("/projects", response={200: list[ProjectRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_projects(request: HttpRequest, filters: Query[ProjectFilterIn]):
    return selectors.project_list(
        actor=actor_for(request.user), filters=selectors.ProjectFilter(**filters.model_dump())
    )


@router.get("/projects/{project_id}", response={200: ProjectRead, **ERRORS})
def get_project(request: HttpRequest, project_id: int) -> object:
    return selectors.project_get(actor=actor_for(request.user), project_id=project_id)


@router.get("/projects/{project_id}/cases", response={200: list[CaseListItem], **ERRORS})
@paginate(LimitOffsetPagination)
def list_project_cases(request: HttpRequest, project_id: int):
    actor = actor_for(request.user)
    project = selectors.project_get(actor=actor, project_id=project_id)
    return selectors.project_cases(actor=actor, project=project)


@router.post("/projects/{project_id}/arrears-flag", response={200: ProjectRead, **ERRORS})
def flag_project(request: HttpRequest, project_id: int, payload: ProjectFlagIn) -> object:
    actor = actor_for(request.user)
    project = selectors.project_get(actor=actor, project_id=project_id)
    services.project_set_arrears_flag(actor=actor, project=project, **payload.model_dump())
    return selectors.project_get(actor=actor, project_id=project_id)


@router.get("/notifications", response={200: list[NotificationRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilterIn]):
    return selectors.notification_list(actor=actor_for(request.user), unread=filters.unread)


@router.post("/notifications/{notification_id}/read", response={200: NotificationRead, **ERRORS})
def read_notification(request: HttpRequest, notification_id: int) -> object:
    return services.notification_mark_read(
        actor=actor_for(request.user), notification_id=notification_id
    )


@router.get("/calendar-days", response={200: list[CalendarDayRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_calendar_days(request: HttpRequest, filters: Query[CalendarFilterIn]):
    return selectors.calendar_day_list(year=filters.year)


@router.post("/calendar-days", response={200: CalendarDayRead, **ERRORS})
def set_calendar_day(request: HttpRequest, payload: CalendarDayIn) -> object:
    return services.calendar_day_set(actor=actor_for(request.user), **payload.model_dump())


@router.post("/cases/{case_id}/attachments", response={201: AttachmentRead, **ERRORS})
def create_case_attachment(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    kind: Form[str],
    description: Form[str] = "",
) -> tuple[int, object]:
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    return 201, services.attachment_add(
        actor=actor, case=case, upload=file, kind=kind, description=description
    )


@router.get("/cases/{case_id}/attachments", response={200: list[AttachmentRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_case_attachments(request: HttpRequest, case_id: int):
    actor = actor_for(request.user)
    return selectors.attachment_list(
        actor=actor, case=selectors.case_get(actor=actor, case_id=case_id)
    )


@router.get("/cases/{case_id}/attachments/{attachment_id}", response={200: None, **ERRORS})
@never_cache
def download_case_attachment(
    request: HttpRequest, case_id: int, attachment_id: int
) -> FileResponse:
    """The file itself, as a download (never rendered inline); each download is audited."""
    actor = actor_for(request.user)
    case = selectors.case_get(actor=actor, case_id=case_id)
    attachment, handle = services.attachment_open(
        actor=actor, case=case, attachment_id=attachment_id
    )
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=True)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(attachment.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
