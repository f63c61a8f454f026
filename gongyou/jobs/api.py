"""Stable employment: vacancies, matching, referrals, placements, retention, job fairs."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination
from gongyou.core.errors import NotFound
from gongyou.regions.selectors import region_label

from . import selectors, services
from .schemas import (
    CandidatesRead,
    EmployerAccountIn,
    EmployerAccountRead,
    FairCreate,
    FairEmployerIn,
    FairRead,
    FairRegistrationIn,
    FairTransitionIn,
    FairVacancyIn,
    FollowUpAnswerIn,
    FollowUpFilterIn,
    FollowUpRead,
    JobReferralFilterIn,
    JobReferralRead,
    JobReferralTransitionIn,
    JobsRowRead,
    PlacementCreate,
    PlacementFilterIn,
    PlacementRead,
    ReferralCreate,
    SeekerIn,
    SeekerRead,
    VacancyCreate,
    VacancyFilterIn,
    VacancyMatchRead,
    VacancyRead,
    VacancyTransitionIn,
    VacancyUpdate,
)

router = Router(tags=["jobs"])


@router.post("/vacancies", response={201: VacancyRead, **ERRORS})
def create_vacancy(request: HttpRequest, payload: VacancyCreate) -> tuple[int, object]:
    actor = actor_for(request.user)
    data = payload.model_dump(exclude_none=True)
    vacancy = services.vacancy_create(actor=actor, data=data, publish=data.pop("publish", False))
    return 201, selectors.vacancy_get(actor=actor, vacancy_id=vacancy.pk)


@router.get("/vacancies", response={200: list[VacancyRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_vacancies(request: HttpRequest, filters: Query[VacancyFilterIn]):
    return selectors.vacancy_list(
        actor=actor_for(request.user), filters=selectors.VacancyFilter(**filters.model_dump())
    )


@router.get("/vacancies/{vacancy_id}", response={200: VacancyRead, **ERRORS})
def get_vacancy(request: HttpRequest, vacancy_id: int) -> object:
    return selectors.vacancy_get(actor=actor_for(request.user), vacancy_id=vacancy_id)


@router.patch("/vacancies/{vacancy_id}", response={200: VacancyRead, **ERRORS})
def update_vacancy(request: HttpRequest, vacancy_id: int, payload: VacancyUpdate) -> object:
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)
    services.vacancy_update(
        actor=actor, vacancy=vacancy, data=payload.model_dump(exclude_unset=True)
    )
    return selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)


@router.post("/vacancies/{vacancy_id}/transition", response={200: VacancyRead, **ERRORS})
def transition_vacancy(
    request: HttpRequest, vacancy_id: int, payload: VacancyTransitionIn
) -> object:
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)
    services.vacancy_transition(actor=actor, vacancy=vacancy, **payload.model_dump())
    return selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)


@router.get("/vacancies/{vacancy_id}/candidates", response={200: CandidatesRead, **ERRORS})
def rank_vacancy_candidates(request: HttpRequest, vacancy_id: int, limit: int = 50) -> object:
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=vacancy_id)
    ranking = selectors.vacancy_candidates(actor=actor, vacancy=vacancy, limit=min(limit, 200))
    return {
        "blocked": ranking.blocked,
        "items": [
            {
                "worker_id": c.worker.pk,
                "name": c.worker.name,
                "phone_masked": c.worker.phone_masked,
                "current_region": region_label(c.worker.current_region_id),
                "occupation_code": c.occupation_code,
                "score": c.score,
                "components": c.components,
                "open_referral_id": c.open_referral.pk if c.open_referral else None,
            }
            for c in ranking.candidates
        ],
    }


@router.get("/job-seekers/{worker_id}", response={200: SeekerRead, **ERRORS})
def get_job_seeker(request: HttpRequest, worker_id: int) -> object:
    actor = actor_for(request.user)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=worker_id)
    profile = selectors.seeker_profile_of(worker=worker)
    if profile is None:
        raise NotFound()
    return profile


@router.put("/job-seekers/{worker_id}", response={200: SeekerRead, **ERRORS})
def save_job_seeker(request: HttpRequest, worker_id: int, payload: SeekerIn) -> object:
    actor = actor_for(request.user)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=worker_id)
    return services.seeker_profile_save(
        actor=actor, worker=worker, data=payload.model_dump(exclude_unset=True)
    )


@router.get("/job-seekers/{worker_id}/vacancies", response={200: list[VacancyMatchRead], **ERRORS})
def rank_worker_vacancies(request: HttpRequest, worker_id: int, limit: int = 50) -> object:
    actor = actor_for(request.user)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=worker_id)
    return [
        {
            "vacancy": m.vacancy,
            "score": m.score,
            "components": m.components,
            "open_referral_id": m.open_referral.pk if m.open_referral else None,
        }
        for m in selectors.worker_vacancies(actor=actor, worker=worker, limit=min(limit, 200))
    ]


@router.post("/referrals", response={201: JobReferralRead, **ERRORS})
def create_referral(request: HttpRequest, payload: ReferralCreate) -> tuple[int, object]:
    actor = actor_for(request.user)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=payload.vacancy_id or 0)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=payload.worker_id or 0)
    fair = selectors.fair_get(actor=actor, fair_id=payload.fair_id) if payload.fair_id else None
    referral = services.referral_create(
        actor=actor,
        vacancy=vacancy,
        worker=worker,
        source=payload.source,
        note=payload.note,
        fair=fair,
    )
    return 201, selectors.referral_get(actor=actor, referral_id=referral.pk)


@router.get("/referrals", response={200: list[JobReferralRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_referrals(request: HttpRequest, filters: Query[JobReferralFilterIn]):
    return selectors.referral_list(
        actor=actor_for(request.user), filters=selectors.ReferralFilter(**filters.model_dump())
    )


@router.get("/referrals/{referral_id}", response={200: JobReferralRead, **ERRORS})
def get_referral(request: HttpRequest, referral_id: int) -> object:
    return selectors.referral_get(actor=actor_for(request.user), referral_id=referral_id)


@router.post("/referrals/{referral_id}/transition", response={200: JobReferralRead, **ERRORS})
def transition_referral(
    request: HttpRequest, referral_id: int, payload: JobReferralTransitionIn
) -> object:
    actor = actor_for(request.user)
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    services.referral_transition(actor=actor, referral=referral, **payload.model_dump())
    return selectors.referral_get(actor=actor, referral_id=referral_id)


@router.post("/placements", response={201: PlacementRead, **ERRORS})
def create_placement(request: HttpRequest, payload: PlacementCreate) -> tuple[int, object]:
    actor = actor_for(request.user)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=payload.worker_id or 0)
    placement = services.placement_record(
        actor=actor, worker=worker, data=payload.model_dump(exclude_none=True)
    )
    return 201, selectors.placement_list(actor=actor).get(pk=placement.pk)


@router.get("/placements", response={200: list[PlacementRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_placements(request: HttpRequest, filters: Query[PlacementFilterIn]):
    return selectors.placement_list(actor=actor_for(request.user), worker_id=filters.worker_id)


@router.get("/follow-ups", response={200: list[FollowUpRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_follow_ups(request: HttpRequest, filters: Query[FollowUpFilterIn]):
    return selectors.followup_list(
        actor=actor_for(request.user), filters=selectors.FollowUpFilter(**filters.model_dump())
    )


@router.post("/follow-ups/{followup_id}/answer", response={200: FollowUpRead, **ERRORS})
def answer_follow_up(request: HttpRequest, followup_id: int, payload: FollowUpAnswerIn) -> object:
    actor = actor_for(request.user)
    followup = selectors.followup_get(actor=actor, followup_id=followup_id)
    services.followup_answer(actor=actor, followup=followup, **payload.model_dump())
    return selectors.followup_get(actor=actor, followup_id=followup_id)


@router.post("/job-fairs", response={201: FairRead, **ERRORS})
def create_job_fair(request: HttpRequest, payload: FairCreate) -> tuple[int, object]:
    return 201, services.fair_create(
        actor=actor_for(request.user), data=payload.model_dump(exclude_none=True)
    )


@router.get("/job-fairs", response={200: list[FairRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_job_fairs(request: HttpRequest, upcoming: bool = False):
    return selectors.fair_list(actor=actor_for(request.user), upcoming=upcoming)


@router.get("/job-fairs/{fair_id}", response={200: FairRead, **ERRORS})
def get_job_fair(request: HttpRequest, fair_id: int) -> object:
    return selectors.fair_get(actor=actor_for(request.user), fair_id=fair_id)


@router.post("/job-fairs/{fair_id}/transition", response={200: FairRead, **ERRORS})
def transition_job_fair(request: HttpRequest, fair_id: int, payload: FairTransitionIn) -> object:
    actor = actor_for(request.user)
    fair = selectors.fair_get(actor=actor, fair_id=fair_id)
    return services.fair_transition(actor=actor, fair=fair, **payload.model_dump())


@router.post("/job-fairs/{fair_id}/employers", response={201: JobsRowRead, **ERRORS})
def add_job_fair_employer(
    request: HttpRequest, fair_id: int, payload: FairEmployerIn
) -> tuple[int, object]:
    actor = actor_for(request.user)
    fair = selectors.fair_get(actor=actor, fair_id=fair_id)
    return 201, services.fair_add_employer(actor=actor, fair=fair, **payload.model_dump())


@router.post("/job-fairs/{fair_id}/vacancies", response={201: JobsRowRead, **ERRORS})
def add_job_fair_vacancy(
    request: HttpRequest, fair_id: int, payload: FairVacancyIn
) -> tuple[int, object]:
    actor = actor_for(request.user)
    fair = selectors.fair_get(actor=actor, fair_id=fair_id)
    vacancy = selectors.vacancy_get(actor=actor, vacancy_id=payload.vacancy_id)
    return 201, services.fair_add_vacancy(actor=actor, fair=fair, vacancy=vacancy)


@router.post("/job-fairs/{fair_id}/registrations", response={201: JobsRowRead, **ERRORS})
def register_job_fair_worker(
    request: HttpRequest, fair_id: int, payload: FairRegistrationIn
) -> tuple[int, object]:
    actor = actor_for(request.user)
    fair = selectors.fair_get(actor=actor, fair_id=fair_id)
    worker = selectors.worker_for_jobs(actor=actor, worker_id=payload.worker_id)
    return 201, services.fair_register_worker(actor=actor, fair=fair, worker=worker)


@router.post("/employer-accounts", response={201: EmployerAccountRead, **ERRORS})
def link_employer_account(request: HttpRequest, payload: EmployerAccountIn) -> tuple[int, object]:
    return 201, services.employer_account_link(
        actor=actor_for(request.user), **payload.model_dump()
    )
