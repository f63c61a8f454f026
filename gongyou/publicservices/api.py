"""Public-services API: the catalogue, family members, what a worker can use, referrals, and
integration activities with their registrations, attendance and feedback."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination
from gongyou.core.errors import FieldError, ValidationFailed

from . import selectors, services
from .schemas import (
    ActivityFilterIn,
    ActivityIn,
    ActivityPatch,
    ActivityRead,
    ActivityTransitionIn,
    CatalogueFilterIn,
    FamilyMemberIn,
    FamilyMemberPatch,
    FamilyMemberRead,
    PublicServiceCreateIn,
    PublicServiceRead,
    ReferralCreateIn,
    ReferralFilterIn,
    ReferralRead,
    ReferralTransitionIn,
    RegistrationCreateIn,
    RegistrationFeedbackIn,
    RegistrationRead,
    RegistrationTransitionIn,
    ServiceVersionIn,
    ServiceVersionPatch,
    ServiceVersionRead,
    ServiceVersionTransitionIn,
    WorkerServicesOut,
)

router = Router(tags=["publicservices"])


def _service(request: HttpRequest, service_id: int) -> dict[str, Any]:
    actor = actor_for(request.user)
    return selectors.service_read(service=selectors.service_get(actor=actor, service_id=service_id))


@router.get("/public-services", response={200: list[PublicServiceRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_public_services(request: HttpRequest, filters: Query[CatalogueFilterIn]):
    qs = selectors.service_list(
        actor=actor_for(request.user), filters=selectors.CatalogueFilter(**filters.model_dump())
    )
    return [selectors.service_read(service=s) for s in qs]


@router.post("/public-services", response={201: PublicServiceRead, **ERRORS})
def create_public_service(request: HttpRequest, payload: PublicServiceCreateIn) -> tuple[int, Any]:
    service = services.service_create(
        actor=actor_for(request.user),
        city=payload.city or "",
        kind=payload.kind or "",
        name=payload.name or "",
    )
    return 201, _service(request, service.pk)


@router.get("/public-services/{service_id}", response={200: PublicServiceRead, **ERRORS})
def get_public_service(request: HttpRequest, service_id: int) -> Any:
    return _service(request, service_id)


@router.post("/public-services/{service_id}/versions", response={201: ServiceVersionRead, **ERRORS})
def create_service_version(
    request: HttpRequest, service_id: int, payload: ServiceVersionIn
) -> tuple[int, Any]:
    actor = actor_for(request.user)
    service = selectors.service_get(actor=actor, service_id=service_id)
    data = payload.model_dump(exclude_unset=True)
    copy_id = data.pop("copy_from", None)
    copy_from = selectors.version_get(actor=actor, version_id=copy_id) if copy_id else None
    version = services.service_version_create(
        actor=actor, service=service, data=data, copy_from=copy_from
    )
    return 201, selectors.version_read(version)


@router.patch("/public-service-versions/{version_id}", response={200: ServiceVersionRead, **ERRORS})
def update_service_version(
    request: HttpRequest, version_id: int, payload: ServiceVersionPatch
) -> Any:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    data = payload.model_dump(exclude_unset=True)
    data.pop("copy_from", None)
    expected = data.pop("version", None)
    version = services.service_version_update(
        actor=actor, version=version, data=data, expected_version=_int(expected)
    )
    return selectors.version_read(version)


@router.post(
    "/public-service-versions/{version_id}/transition",
    response={200: ServiceVersionRead, **ERRORS},
)
def transition_service_version(
    request: HttpRequest, version_id: int, payload: ServiceVersionTransitionIn
) -> Any:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    version = services.service_version_transition(
        actor=actor,
        version=version,
        to_status=payload.to_status or "",
        reason=payload.reason or "",
        expected_version=_int(payload.version),
    )
    return selectors.version_read(version)


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise ValidationFailed(
            fields={"version": FieldError("required", _("Give the version you last read."))}
        ) from None


@router.get("/workers/{worker_id}/family", response={200: list[FamilyMemberRead], **ERRORS})
def list_family(request: HttpRequest, worker_id: int) -> Any:
    worker = selectors.worker_for_services(actor=actor_for(request.user), worker_id=worker_id)
    return [selectors.family_member_read(m) for m in selectors.family_list(worker=worker)]


@router.post("/workers/{worker_id}/family", response={201: FamilyMemberRead, **ERRORS})
def add_family_member(
    request: HttpRequest, worker_id: int, payload: FamilyMemberIn
) -> tuple[int, Any]:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=worker_id)
    member = services.family_member_add(actor=actor, worker=worker, data=payload.model_dump())
    return 201, selectors.family_member_read(member)


@router.patch("/workers/{worker_id}/family/{member_id}", response={200: FamilyMemberRead, **ERRORS})
def update_family_member(
    request: HttpRequest, worker_id: int, member_id: int, payload: FamilyMemberPatch
) -> Any:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=worker_id)
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("version", None)
    member = services.family_member_update(
        actor=actor, worker=worker, member_id=member_id, data=data, expected_version=_int(expected)
    )
    return selectors.family_member_read(member)


@router.delete("/workers/{worker_id}/family/{member_id}", response={204: None, **ERRORS})
def remove_family_member(request: HttpRequest, worker_id: int, member_id: int) -> tuple[int, None]:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=worker_id)
    services.family_member_remove(actor=actor, worker=worker, member_id=member_id)
    return 204, None


@router.get("/workers/{worker_id}/public-services", response={200: WorkerServicesOut, **ERRORS})
def worker_public_services(request: HttpRequest, worker_id: int) -> Any:
    worker = selectors.worker_for_services(actor=actor_for(request.user), worker_id=worker_id)
    answer = selectors.services_for_worker(worker=worker)
    return {**answer, "text": selectors.services_for_worker_text(answer)}


@router.post("/service-referrals", response={201: ReferralRead, **ERRORS})
def create_referral(request: HttpRequest, payload: ReferralCreateIn) -> tuple[int, Any]:
    actor = actor_for(request.user)
    worker = selectors.worker_for_services(actor=actor, worker_id=payload.worker_id or 0)
    referral = services.referral_create(
        actor=actor,
        worker=worker,
        service_id=payload.service_id,
        family_member_id=payload.family_member_id,
        note=payload.note or "",
    )
    referral = selectors.referral_get(actor=actor, referral_id=referral.pk)
    return 201, selectors.referral_read(actor=actor, referral=referral)


@router.get("/service-referrals", response={200: list[ReferralRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_referrals(request: HttpRequest, filters: Query[ReferralFilterIn]):
    actor = actor_for(request.user)
    qs = selectors.referral_list(
        actor=actor, filters=selectors.ReferralFilter(**filters.model_dump())
    )
    return [selectors.referral_read(actor=actor, referral=r) for r in qs]


@router.get("/service-referrals/{referral_id}", response={200: ReferralRead, **ERRORS})
def get_referral(request: HttpRequest, referral_id: int) -> Any:
    actor = actor_for(request.user)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    return selectors.referral_read(actor=actor, referral=referral)


@router.post("/service-referrals/{referral_id}/transition", response={200: ReferralRead, **ERRORS})
def transition_referral(
    request: HttpRequest, referral_id: int, payload: ReferralTransitionIn
) -> Any:
    actor = actor_for(request.user)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    services.referral_transition(
        actor=actor,
        referral=referral,
        to_status=payload.to_status or "",
        reason=payload.reason or "",
        note=payload.note or "",
        expected_version=_int(payload.version),
    )
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    return selectors.referral_read(actor=actor, referral=referral)


# -- integration activities ------------------------------------------------------------------


class _ReadPage:
    """A queryset whose page is turned into read dicts only after the paginator slices it, so a
    page of 100 costs its own reads, not one per activity of the whole list."""

    def __init__(self, qs: Any, read: Any) -> None:
        self.qs, self.read = qs, read

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, page: slice) -> list[Any]:
        return [self.read(item) for item in self.qs[page]]


@router.get("/public-activities", response={200: list[ActivityRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_public_activities(request: HttpRequest, filters: Query[ActivityFilterIn]):
    actor = actor_for(request.user)
    qs = selectors.activity_list_counted(
        actor=actor, filters=selectors.ActivityFilter(**filters.model_dump())
    )
    return _ReadPage(qs, lambda a: selectors.activity_read(actor=actor, activity=a))


@router.post("/public-activities", response={201: ActivityRead, **ERRORS})
def create_public_activity(request: HttpRequest, payload: ActivityIn) -> tuple[int, Any]:
    actor = actor_for(request.user)
    activity = services.activity_create(actor=actor, data=payload.model_dump())
    activity = selectors.activity_get(actor=actor, activity_id=activity.pk)
    return 201, selectors.activity_read(actor=actor, activity=activity)


@router.get("/public-activities/{activity_id}", response={200: ActivityRead, **ERRORS})
def get_public_activity(request: HttpRequest, activity_id: int) -> Any:
    actor = actor_for(request.user)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    return selectors.activity_read(actor=actor, activity=activity)


@router.patch("/public-activities/{activity_id}", response={200: ActivityRead, **ERRORS})
def update_public_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> Any:
    actor = actor_for(request.user)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("version", None)
    services.activity_update(
        actor=actor, activity=activity, data=data, expected_version=_int(expected)
    )
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    return selectors.activity_read(actor=actor, activity=activity)


@router.post("/public-activities/{activity_id}/transition", response={200: ActivityRead, **ERRORS})
def transition_public_activity(
    request: HttpRequest, activity_id: int, payload: ActivityTransitionIn
) -> Any:
    actor = actor_for(request.user)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    services.activity_transition(
        actor=actor,
        activity=activity,
        to_status=payload.to_status or "",
        reason=payload.reason or "",
        expected_version=_int(payload.version),
    )
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    return selectors.activity_read(actor=actor, activity=activity)


@router.get(
    "/public-activities/{activity_id}/registrations",
    response={200: list[RegistrationRead], **ERRORS},
)
@paginate(LimitOffsetPagination)
def list_activity_registrations(request: HttpRequest, activity_id: int):
    activity = selectors.activity_get(actor=actor_for(request.user), activity_id=activity_id)
    return [
        selectors.registration_read(r) for r in selectors.activity_registrations(activity=activity)
    ]


@router.post(
    "/public-activities/{activity_id}/registrations",
    response={201: RegistrationRead, **ERRORS},
)
def register_for_activity(
    request: HttpRequest, activity_id: int, payload: RegistrationCreateIn
) -> tuple[int, Any]:
    actor = actor_for(request.user)
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    registration = services.registration_create(
        actor=actor,
        activity=activity,
        worker_id=payload.worker_id,
        family_member_id=payload.family_member_id,
        note=payload.note or "",
    )
    registration = selectors.registration_get(actor=actor, registration_id=registration.pk)
    return 201, selectors.registration_read(registration)


@router.post(
    "/activity-registrations/{registration_id}/transition",
    response={200: RegistrationRead, **ERRORS},
)
def transition_activity_registration(
    request: HttpRequest, registration_id: int, payload: RegistrationTransitionIn
) -> Any:
    actor = actor_for(request.user)
    registration = selectors.registration_get(actor=actor, registration_id=registration_id)
    registration = services.registration_transition(
        actor=actor,
        registration=registration,
        to_status=payload.to_status or "",
        reason=payload.reason or "",
        expected_version=_int(payload.version),
    )
    registration = selectors.registration_get(actor=actor, registration_id=registration_id)
    return selectors.registration_read(registration)


@router.post(
    "/activity-registrations/{registration_id}/feedback",
    response={200: RegistrationRead, **ERRORS},
)
def give_activity_feedback(
    request: HttpRequest, registration_id: int, payload: RegistrationFeedbackIn
) -> Any:
    actor = actor_for(request.user)
    registration = selectors.registration_get(actor=actor, registration_id=registration_id)
    services.registration_feedback(
        actor=actor, registration=registration, rating=payload.rating, comment=payload.comment
    )
    registration = selectors.registration_get(actor=actor, registration_id=registration_id)
    return selectors.registration_read(registration)
