from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from gongyou.accounts.policies import actor_for
from gongyou.core.api import ERRORS, LimitOffsetPagination
from gongyou.workers.models import Worker

from . import bulk, selectors, services
from .policies import batch_require_can_run, results_require_visible
from .schemas import (
    Answer,
    BatchRunIn,
    BatchRunOut,
    CityEligibilityQuery,
    CityGroupIn,
    CityGroupPatch,
    CityGroupRead,
    CityShare,
    ContributionIn,
    ContributionPatch,
    ContributionRead,
    EligibilityQuery,
    FactIn,
    FactRead,
    HistoryBatchIn,
    HistoryBatchOut,
    ImpactQuery,
    ImpactRead,
    PolicyCreate,
    PolicyFilterIn,
    PolicyListItem,
    PolicyRead,
    Ranking,
    ResidenceIn,
    ResidencePatch,
    ResidenceRead,
    VersionCreate,
    VersionPatch,
    VersionRead,
    VersionTransitionIn,
)

router = Router(tags=["settlement"])
W = "/settlement/workers/{worker_id}"


def _worker(request: HttpRequest, worker_id: int) -> Worker:
    return selectors.worker_for_settlement(actor=actor_for(request.user), worker_id=worker_id)


@router.get(f"{W}/contributions", response={200: list[ContributionRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_contributions(request: HttpRequest, worker_id: int):
    return selectors.contribution_list(worker=_worker(request, worker_id))


@router.post(f"{W}/contributions", response={201: ContributionRead, **ERRORS})
def add_contribution(
    request: HttpRequest, worker_id: int, payload: ContributionIn
) -> tuple[int, object]:
    worker = _worker(request, worker_id)
    return 201, services.contribution_add(
        actor=actor_for(request.user), worker=worker, data=payload.model_dump()
    )


@router.patch(f"{W}/contributions/{{spell_id}}", response={200: ContributionRead, **ERRORS})
def update_contribution(
    request: HttpRequest, worker_id: int, spell_id: int, payload: ContributionPatch
) -> object:
    data = payload.model_dump(exclude_unset=True)
    return services.contribution_update(
        actor=actor_for(request.user),
        worker=_worker(request, worker_id),
        spell_id=spell_id,
        version=data.pop("version", None),
        data=data,
    )


@router.delete(f"{W}/contributions/{{spell_id}}", response={204: None, **ERRORS})
def delete_contribution(request: HttpRequest, worker_id: int, spell_id: int) -> tuple[int, None]:
    services.contribution_delete(
        actor=actor_for(request.user), worker=_worker(request, worker_id), spell_id=spell_id
    )
    return 204, None


@router.get(f"{W}/residences", response={200: list[ResidenceRead], **ERRORS})
@paginate(LimitOffsetPagination)
def list_residences(request: HttpRequest, worker_id: int):
    return selectors.residence_list(worker=_worker(request, worker_id))


@router.post(f"{W}/residences", response={201: ResidenceRead, **ERRORS})
def add_residence(request: HttpRequest, worker_id: int, payload: ResidenceIn) -> tuple[int, object]:
    worker = _worker(request, worker_id)
    return 201, services.residence_add(
        actor=actor_for(request.user), worker=worker, data=payload.model_dump()
    )


@router.patch(f"{W}/residences/{{spell_id}}", response={200: ResidenceRead, **ERRORS})
def update_residence(
    request: HttpRequest, worker_id: int, spell_id: int, payload: ResidencePatch
) -> object:
    data = payload.model_dump(exclude_unset=True)
    return services.residence_update(
        actor=actor_for(request.user),
        worker=_worker(request, worker_id),
        spell_id=spell_id,
        version=data.pop("version", None),
        data=data,
    )


@router.delete(f"{W}/residences/{{spell_id}}", response={204: None, **ERRORS})
def delete_residence(request: HttpRequest, worker_id: int, spell_id: int) -> tuple[int, None]:
    services.residence_delete(
        actor=actor_for(request.user), worker=_worker(request, worker_id), spell_id=spell_id
    )
    return 204, None


@router.post(f"{W}/history", response={200: HistoryBatchOut, **ERRORS})
def save_worker_history(request: HttpRequest, worker_id: int, payload: HistoryBatchIn) -> object:
    return services.history_save_batch(
        actor=actor_for(request.user),
        worker=_worker(request, worker_id),
        contributions=list(payload.contributions) if payload.contributions is not None else None,
        residences=list(payload.residences) if payload.residences is not None else None,
        replace=payload.replace,
    )


@router.get(f"{W}/facts", response={200: list[FactRead], **ERRORS})
def list_declared_facts(request: HttpRequest, worker_id: int) -> object:
    return list(selectors.declared_facts(worker=_worker(request, worker_id)))


@router.put(f"{W}/facts/{{key}}", response={200: list[FactRead], **ERRORS})
def set_declared_fact(request: HttpRequest, worker_id: int, key: str, payload: FactIn) -> object:
    worker = _worker(request, worker_id)
    services.declared_fact_set(
        actor=actor_for(request.user),
        worker=worker,
        key=key,
        value=payload.value,
        evidence=payload.evidence or "",
    )
    return list(selectors.declared_facts(worker=worker))


@router.get(f"{W}/eligibility", response={200: Ranking, **ERRORS})
def rank_settlement_cities(
    request: HttpRequest, worker_id: int, query: Query[EligibilityQuery]
) -> object:
    return selectors.eligibility_ranking(
        actor=actor_for(request.user), worker_id=worker_id, day=query.as_of
    )


@router.get(f"{W}/eligibility/{{city}}", response={200: Answer, **ERRORS})
def evaluate_settlement_city(
    request: HttpRequest, worker_id: int, city: str, query: Query[CityEligibilityQuery]
) -> object:
    return selectors.eligibility_for_city(
        actor=actor_for(request.user),
        worker_id=worker_id,
        city=city,
        day=query.as_of,
        purpose=query.purpose,
    )


@router.get("/settlement/policies", response={200: list[PolicyListItem], **ERRORS})
@paginate(LimitOffsetPagination)
def list_settlement_policies(request: HttpRequest, filters: Query[PolicyFilterIn]):
    return selectors.policy_list_rows(
        actor=actor_for(request.user), filters=selectors.PolicyFilter(**filters.model_dump())
    )


@router.post("/settlement/policies", response={201: PolicyRead, **ERRORS})
def create_settlement_policy(request: HttpRequest, payload: PolicyCreate) -> tuple[int, object]:
    actor = actor_for(request.user)
    policy = services.policy_create(
        actor=actor, city=payload.city or "", purpose=payload.purpose or "", name=payload.name or ""
    )
    return 201, selectors.policy_read(actor=actor, policy_id=policy.pk)


@router.get("/settlement/policies/{policy_id}", response={200: PolicyRead, **ERRORS})
def get_settlement_policy(request: HttpRequest, policy_id: int) -> object:
    return selectors.policy_read(actor=actor_for(request.user), policy_id=policy_id)


@router.post("/settlement/policies/{policy_id}/versions", response={201: VersionRead, **ERRORS})
def draft_policy_version(
    request: HttpRequest, policy_id: int, payload: VersionCreate
) -> tuple[int, object]:
    actor = actor_for(request.user)
    policy = selectors.policy_get(actor=actor, policy_id=policy_id)
    data = payload.model_dump(exclude_unset=True)
    copy_id = data.pop("copy_from", None)
    copy = selectors.version_get(actor=actor, version_id=copy_id) if copy_id else None
    return 201, services.version_create(actor=actor, policy=policy, data=data, copy_from=copy)


@router.get("/settlement/policy-versions/{version_id}", response={200: VersionRead, **ERRORS})
def get_policy_version(request: HttpRequest, version_id: int) -> object:
    return selectors.version_get(actor=actor_for(request.user), version_id=version_id)


@router.patch("/settlement/policy-versions/{version_id}", response={200: VersionRead, **ERRORS})
def update_policy_version(request: HttpRequest, version_id: int, payload: VersionPatch) -> object:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    data = payload.model_dump(exclude_unset=True)
    return services.version_update(
        actor=actor, version=version, data=data, expected_version=data.pop("version", None)
    )


@router.post(
    "/settlement/policy-versions/{version_id}/transition", response={200: VersionRead, **ERRORS}
)
def transition_policy_version(
    request: HttpRequest, version_id: int, payload: VersionTransitionIn
) -> object:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    return services.version_transition(
        actor=actor,
        version=version,
        to_status=payload.to_status or "",
        reason=payload.reason or "",
        expected_version=payload.version,
    )


@router.get("/settlement/policy-versions/{version_id}/impact", response={200: ImpactRead, **ERRORS})
def preview_policy_impact(
    request: HttpRequest, version_id: int, query: Query[ImpactQuery]
) -> object:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    return bulk.version_impact(actor=actor, version=version, day=query.as_of)


@router.get("/settlement/city-groups", response={200: list[CityGroupRead], **ERRORS})
def list_city_groups(request: HttpRequest) -> object:
    return selectors.city_group_list(actor=actor_for(request.user))


@router.post("/settlement/city-groups", response={201: CityGroupRead, **ERRORS})
def create_city_group(request: HttpRequest, payload: CityGroupIn) -> tuple[int, object]:
    group = services.city_group_save(actor=actor_for(request.user), data=payload.model_dump())
    return 201, selectors.city_group_read(group)


@router.patch("/settlement/city-groups/{group_id}", response={200: CityGroupRead, **ERRORS})
def update_city_group(request: HttpRequest, group_id: int, payload: CityGroupPatch) -> object:
    actor = actor_for(request.user)
    selectors.policies_require_visible(actor)
    group = selectors.city_group_get(group_id=group_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version", None)
    current = selectors.city_group_read(group)
    group = services.city_group_save(
        actor=actor, data={**current, **data}, group=group, expected_version=version
    )
    return selectors.city_group_read(group)


@router.post("/settlement/batch-runs", response={202: BatchRunOut, **ERRORS})
def start_eligibility_batch(request: HttpRequest, payload: BatchRunIn) -> tuple[int, object]:
    from .tasks import eligibility_batch

    batch_require_can_run(actor_for(request.user))
    result = eligibility_batch.enqueue(payload.as_of.isoformat() if payload.as_of else None)
    return 202, {"task_id": str(result.id), "status": str(result.status)}


@router.get("/settlement/results/by-city", response={200: list[CityShare], **ERRORS})
def list_eligibility_by_city(request: HttpRequest) -> object:
    results_require_visible(actor_for(request.user))
    return selectors.results_by_city()
