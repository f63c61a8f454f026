from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination

from . import selectors, services
from .schemas import (
    AttendanceIn,
    AttendanceRead,
    CampaignCreate,
    CampaignRead,
    ClaimCreate,
    ClaimFilterIn,
    ClaimRead,
    ClaimTotalRead,
    ClaimTotalsFilterIn,
    ClaimTransitionIn,
    CourseCreate,
    CourseFilterIn,
    CourseRead,
    CourseUpdate,
    CreditIn,
    CreditRead,
    EligibilityIn,
    EligibilityRead,
    EnrolmentCreate,
    EnrolmentFilterIn,
    EnrolmentRead,
    EnrolmentTransitionIn,
    InstitutionIn,
    InstitutionRead,
    PathwayRead,
    ProgrammeFilterIn,
    ProgrammeIn,
    ProgrammeRead,
    ProgressRowRead,
    RuleFilterIn,
    RuleIn,
    RuleRead,
    RuleUpdate,
    StudyCreate,
    StudyFilterIn,
    StudyRead,
    StudyTransitionIn,
    TargetRead,
    TargetsIn,
)

router = Router(tags=["training"])


# --- Campaigns ---------------------------------------------------------------------------------


@router.post("/training/campaigns", response={201: CampaignRead, **ERRORS})
def create_campaign(request: HttpRequest, payload: CampaignCreate) -> tuple[int, object]:
    return 201, services.campaign_create(
        actor=actor_for(request.user), data=payload.model_dump(exclude_none=True)
    )


@router.get("/training/campaigns", response={200: list[CampaignRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_campaigns(request: HttpRequest, kind: str | None = None):
    return selectors.campaign_list(actor=actor_for(request.user), kind=kind).prefetch_related(
        "co_organisers"
    )


@router.get("/training/campaigns/{campaign_id}", response={200: CampaignRead, **ERRORS})
def get_campaign(request: HttpRequest, campaign_id: int) -> object:
    return selectors.campaign_get(actor=actor_for(request.user), campaign_id=campaign_id)


@router.put("/training/campaigns/{campaign_id}/targets", response={200: list[TargetRead], **ERRORS})
def set_campaign_targets(request: HttpRequest, campaign_id: int, payload: TargetsIn) -> object:
    actor = actor_for(request.user)
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    return services.campaign_set_targets(
        actor=actor,
        campaign=campaign,
        targets=[t.model_dump() for t in payload.targets],
        version=payload.version,
    )


@router.get(
    "/training/campaigns/{campaign_id}/progress", response={200: list[ProgressRowRead], **ERRORS}
)
def get_campaign_progress(request: HttpRequest, campaign_id: int) -> object:
    actor = actor_for(request.user)
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    return selectors.campaign_progress(actor=actor, campaign=campaign)


# --- Courses and enrolments --------------------------------------------------------------------


@router.post("/training/courses", response={201: CourseRead, **ERRORS})
def create_course(request: HttpRequest, payload: CourseCreate) -> tuple[int, object]:
    actor = actor_for(request.user)
    course = services.course_create(actor=actor, data=payload.model_dump(exclude_none=True))
    return 201, selectors.course_get(actor=actor, course_id=course.pk)


@router.get("/training/courses", response={200: list[CourseRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_courses(request: HttpRequest, filters: Query[CourseFilterIn]):
    return selectors.course_list(
        actor=actor_for(request.user), filters=selectors.CourseFilter(**filters.model_dump())
    )


@router.get("/training/courses/{course_id}", response={200: CourseRead, **ERRORS})
def get_course(request: HttpRequest, course_id: int) -> object:
    return selectors.course_get(actor=actor_for(request.user), course_id=course_id)


@router.put("/training/courses/{course_id}", response={200: CourseRead, **ERRORS})
def update_course(request: HttpRequest, course_id: int, payload: CourseUpdate) -> object:
    actor = actor_for(request.user)
    data = payload.model_dump(exclude_none=True)
    version = data.pop("version", None)
    course = selectors.course_get(actor=actor, course_id=course_id)
    services.course_update(actor=actor, course=course, data=data, version=version)
    return selectors.course_get(actor=actor, course_id=course_id)


@router.post("/training/courses/{course_id}/enrolments", response={201: EnrolmentRead, **ERRORS})
def create_enrolment(
    request: HttpRequest, course_id: int, payload: EnrolmentCreate
) -> tuple[int, object]:
    actor = actor_for(request.user)
    course = selectors.course_get(actor=actor, course_id=course_id)
    return 201, services.enrolment_apply(
        actor=actor,
        course=course,
        worker_id=payload.worker_id,
        enrol=payload.enrol,
        note=payload.note,
    )


@router.post("/training/courses/{course_id}/claims", response={201: list[ClaimRead], **ERRORS})
def create_course_claims(request: HttpRequest, course_id: int) -> tuple[int, object]:
    actor = actor_for(request.user)
    course = selectors.course_get(actor=actor, course_id=course_id)
    return 201, services.claim_submit_for_course(actor=actor, course=course)


@router.get("/training/enrolments", response={200: list[EnrolmentRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_enrolments(request: HttpRequest, filters: Query[EnrolmentFilterIn]):
    return selectors.enrolment_list(
        actor=actor_for(request.user), filters=selectors.EnrolmentFilter(**filters.model_dump())
    )


@router.get("/training/enrolments/{enrolment_id}", response={200: EnrolmentRead, **ERRORS})
def get_enrolment(request: HttpRequest, enrolment_id: int) -> object:
    return selectors.enrolment_get(actor=actor_for(request.user), enrolment_id=enrolment_id)


@router.post(
    "/training/enrolments/{enrolment_id}/transition", response={200: EnrolmentRead, **ERRORS}
)
def transition_enrolment(
    request: HttpRequest, enrolment_id: int, payload: EnrolmentTransitionIn
) -> object:
    actor = actor_for(request.user)
    enrolment = selectors.enrolment_get(actor=actor, enrolment_id=enrolment_id)
    return services.enrolment_transition(
        actor=actor, enrolment=enrolment, **payload.model_dump(exclude_none=True)
    )


@router.post(
    "/training/enrolments/{enrolment_id}/attendance", response={200: AttendanceRead, **ERRORS}
)
def record_attendance(request: HttpRequest, enrolment_id: int, payload: AttendanceIn) -> object:
    actor = actor_for(request.user)
    enrolment = selectors.enrolment_get(actor=actor, enrolment_id=enrolment_id)
    return services.attendance_record(
        actor=actor, enrolment=enrolment, date=payload.date, hours=payload.hours
    )


# --- Subsidy claims ----------------------------------------------------------------------------


@router.post("/training/claims", response={201: ClaimRead, **ERRORS})
def create_claim(request: HttpRequest, payload: ClaimCreate) -> tuple[int, object]:
    actor = actor_for(request.user)
    enrolment = selectors.enrolment_get(actor=actor, enrolment_id=payload.enrolment_id)
    return 201, services.claim_submit(actor=actor, enrolment=enrolment)


@router.get("/training/claims", response={200: list[ClaimRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_claims(request: HttpRequest, filters: Query[ClaimFilterIn]):
    return selectors.claim_list(
        actor=actor_for(request.user), filters=selectors.ClaimFilter(**filters.model_dump())
    )


@router.get("/training/claim-totals", response={200: list[ClaimTotalRead], **ERRORS})
def list_claim_totals(request: HttpRequest, filters: Query[ClaimTotalsFilterIn]) -> object:
    data = filters.model_dump()
    by = data.pop("by")
    return selectors.claim_totals(
        actor=actor_for(request.user), by=by, filters=selectors.ClaimFilter(**data)
    )


@router.post("/training/claims/{claim_id}/transition", response={200: ClaimRead, **ERRORS})
def transition_claim(request: HttpRequest, claim_id: int, payload: ClaimTransitionIn) -> object:
    actor = actor_for(request.user)
    claim = selectors.claim_get(actor=actor, claim_id=claim_id)
    return services.claim_transition(
        actor=actor, claim=claim, **payload.model_dump(exclude_none=True)
    )


# --- Eligibility -------------------------------------------------------------------------------


@router.get("/training/eligibility-rules", response={200: list[RuleRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_eligibility_rules(request: HttpRequest, filters: Query[RuleFilterIn]):
    return selectors.rule_list(actor=actor_for(request.user), **filters.model_dump())


@router.post("/training/eligibility-rules", response={201: RuleRead, **ERRORS})
def create_eligibility_rule(request: HttpRequest, payload: RuleIn) -> tuple[int, object]:
    return 201, services.rule_create(actor=actor_for(request.user), data=payload.model_dump())


@router.put("/training/eligibility-rules/{rule_id}", response={200: RuleRead, **ERRORS})
def update_eligibility_rule(request: HttpRequest, rule_id: int, payload: RuleUpdate) -> object:
    actor = actor_for(request.user)
    rule = selectors.rule_get(actor=actor, rule_id=rule_id)
    data = payload.model_dump()
    version = data.pop("version")
    return services.rule_update(actor=actor, rule=rule, data=data, version=version)


@router.post("/training/eligibility-check", response={200: EligibilityRead, **ERRORS})
def check_eligibility(request: HttpRequest, payload: EligibilityIn) -> object:
    return selectors.eligibility_check(actor=actor_for(request.user), **payload.model_dump())


# --- Education upgrade -------------------------------------------------------------------------


@router.post("/training/institutions", response={201: InstitutionRead, **ERRORS})
def create_institution(request: HttpRequest, payload: InstitutionIn) -> tuple[int, object]:
    return 201, services.institution_create(
        actor=actor_for(request.user), data=payload.model_dump(exclude_none=True)
    )


@router.get("/training/institutions", response={200: list[InstitutionRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_institutions(request: HttpRequest):
    return selectors.institution_list(actor=actor_for(request.user))


@router.post("/training/programmes", response={201: ProgrammeRead, **ERRORS})
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> tuple[int, object]:
    return 201, services.programme_create(
        actor=actor_for(request.user), data=payload.model_dump(exclude_none=True)
    )


@router.get("/training/programmes", response={200: list[ProgrammeRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_programmes(request: HttpRequest, filters: Query[ProgrammeFilterIn]):
    return selectors.programme_list(actor=actor_for(request.user), **filters.model_dump())


@router.post("/training/programmes/{programme_id}/studies", response={201: StudyRead, **ERRORS})
def create_study(
    request: HttpRequest, programme_id: int, payload: StudyCreate
) -> tuple[int, object]:
    actor = actor_for(request.user)
    programme = selectors.programme_get(actor=actor, programme_id=programme_id)
    study = services.study_apply(
        actor=actor, programme=programme, worker_id=payload.worker_id, subsidy=payload.subsidy
    )
    return 201, selectors.study_get(actor=actor, study_id=study.pk)


@router.get("/training/studies", response={200: list[StudyRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_studies(request: HttpRequest, filters: Query[StudyFilterIn]):
    return selectors.study_list(actor=actor_for(request.user), **filters.model_dump())


@router.post("/training/studies/{study_id}/credits", response={201: CreditRead, **ERRORS})
def record_credits(request: HttpRequest, study_id: int, payload: CreditIn) -> tuple[int, object]:
    actor = actor_for(request.user)
    study = selectors.study_get(actor=actor, study_id=study_id)
    return 201, services.credit_record(actor=actor, study=study, **payload.model_dump())


@router.post("/training/studies/{study_id}/transition", response={200: StudyRead, **ERRORS})
def transition_study(request: HttpRequest, study_id: int, payload: StudyTransitionIn) -> object:
    actor = actor_for(request.user)
    study = selectors.study_get(actor=actor, study_id=study_id)
    services.study_transition(actor=actor, study=study, **payload.model_dump(exclude_none=True))
    return selectors.study_get(actor=actor, study_id=study_id)


# --- Pathway -----------------------------------------------------------------------------------


@router.get("/training/workers/{worker_id}/pathway", response={200: PathwayRead, **ERRORS})
def get_worker_pathway(request: HttpRequest, worker_id: int) -> object:
    return selectors.worker_pathway(actor=actor_for(request.user), worker_id=worker_id)
