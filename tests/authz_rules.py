"""Who may call each route: the rules tests/test_authz_matrix.py checks (see its docstring).

Adding a route? Add its rule here, keyed by "METHOD /api/v1/path" (as in the OpenAPI document)
or by the page's URL name ("app:name"); `test_every_route_has_a_rule` names any route without
one. A rule says which principals may call it (`allow`: Role values, ANONYMOUS, WORKER), what
the others get (`deny`, `deny_for`), what an allowed caller gets in scope (`ok`), and which world
object fills each path parameter when its name alone is ambiguous (`kinds`; defaults in
PARAM_KINDS) or a literal value (`params`). Objects live in tests/authz_world.py: add a kind
there (in scope: Shenzhen; out of scope: Beijing) when a new app brings new objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gongyou.accounts.enums import Role

from .authz_world import ANONYMOUS, PASSWORD, PRINCIPALS, STAFF, WORKER

GATE_PASSED = "gate passed"  # a write went past the authorisation gate (any non-refusal)


@dataclass(frozen=True)
class Rule:
    allow: frozenset[str]
    deny: int = 403
    deny_for: Mapping[str, int] = field(default_factory=dict)
    ok: int | str = 200
    kinds: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    out: int | str = 404  # what an allowed caller gets for an object outside its scope
    method: str | None = None  # pages: the method exercised (GET unless said)
    body: Any = None  # JSON body, form data or query; or a function (world, scope) -> one
    body_scoped: bool = False  # the body names objects: call it out of scope too
    acceptor: str | None = None  # writes: the allowed principal whose call is accepted
    accept: bool = True  # writes: False checks refusals only (say why next to the rule)


STATION, CASE, PROGRAMME, EMPLOYMENT, ANALYST, ORG_ADMIN, SYSTEM_ADMIN = (
    Role.STATION_STAFF.value,
    Role.CASE_HANDLER.value,
    Role.PROGRAMME_OFFICER.value,
    Role.EMPLOYMENT_OFFICER.value,
    Role.ANALYST.value,
    Role.ORG_ADMIN.value,
    Role.SYSTEM_ADMIN.value,
)
ALL_STAFF = frozenset(STAFF)
EVERYONE = frozenset(PRINCIPALS)
NOBODY: frozenset[str] = frozenset()


def only(*roles: str) -> frozenset[str]:
    return frozenset(roles)


def but(*roles: str) -> frozenset[str]:
    """Every staff role except these."""
    return ALL_STAFF - set(roles)


# Which world object fills a path parameter, by its name; PREFIX_KINDS decides where the same
# name means different things (the first matching prefix of the route template wins).
PARAM_KINDS: dict[str, str] = {
    "worker_id": "worker",
    "keep_id": "duplicate_first",
    "merge_id": "merge",
    "first_id": "duplicate_first",
    "second_id": "duplicate_second",
    "station_id": "station",
    "visit_id": "visit",
    "employer_id": "employer",
    "case_id": "case",
    "claimant_id": "claimant",
    "deadline_id": "deadline",
    "attachment_id": "attachment",
    "notification_id": "notification",
    "token_id": "token",
    "user_id": "user",
    "job_id": "import",
    "export_id": "export",
    "campaign_id": "campaign",
    "course_id": "course",
    "enrolment_id": "enrolment",
    "claim_id": "claim",
    "rule_id": "rule",
    "programme_id": "programme",
    "study_id": "study",
    "spell_id": "contribution",
    "policy_id": "policy",
    "version_id": "policy_version",
    "group_id": "city_group",
    "vacancy_id": "vacancy",
    "referral_id": "job_referral",
    "followup_id": "followup",
    "fair_id": "fair",
    "registration_id": "registration",
    "round_id": "round",
    "nomination_id": "nomination",
    "evidence_id": "evidence",
    "objection_id": "objection",
    "service_id": "public_service",
    "member_id": "family_member",
    "correction_id": "correction",
    "result_id": "task",
    "project_id": "project",
    "hold_id": "legal_hold",
    "activity_id": "activity",
}
PREFIX_KINDS: list[tuple[str, str, str]] = [
    ("/api/v1/service-referrals", "referral_id", "service_referral"),
    ("/public-services/", "referral_id", "service_referral"),
    ("/api/v1/public-service-versions/", "version_id", "service_version"),
    ("/public-services/", "version_id", "service_version"),
    ("/exports/", "job_id", "export"),
    ("/jobs/fairs/", "registration_id", "fair_registration"),
    ("/api/v1/activity-registrations/", "registration_id", "activity_registration"),
    ("/public-services/activity-registrations/", "registration_id", "activity_registration"),
    ("/api/v1/settlement/workers/{worker_id}/residences", "spell_id", "residence"),
    ("/settlement/workers/{worker_id}/residences", "spell_id", "residence"),
]
# Literal values of parameters that are not objects.
PARAM_VALUES: dict[str, str] = {
    "code": "440305",
    "city": "440300",
    "key": "cases_status",
    "kind": "stations",
    "fmt": "csv",
    "action": "transition",
    "record_class": "closed_cases",
}
PREFIX_VALUES: list[tuple[str, str, str]] = [
    ("/api/v1/settlement/workers/{worker_id}/facts/", "key", "no_criminal_record"),
]


def _id(world: Mapping[str, Any], kind: str, scope: str = "in") -> Any:
    entry = world[kind]
    return entry["out"] if scope == "out" and entry["out"] is not None else entry["in"]


def _csv_upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    head = "站点编码,站点名称,站点类型,所在地区,地址,服务项目\n".encode()
    return SimpleUploadedFile("stations.csv", head, content_type="text/csv")


# Request bodies (JSON for the API, form data for pages) where the minimal body built from the
# OpenAPI schema would not reach the gate: a function (world, scope) -> body names the objects.
BODIES: dict[str, Any] = {
    "POST /api/v1/auth/token": {"username": "authz_root", "password": PASSWORD},
    "POST /api/v1/exports": {"kind": "workers", "format": "csv"},
    "POST /api/v1/imports": lambda w, s: {"kind": "stations", "file": _csv_upload()},
    "POST /api/v1/visits": lambda w, s: {"station_id": _id(w, "station", s), "service": "rest"},
    "POST /api/v1/workers/{keep_id}/merge": lambda w, s: {
        "merge_id": _id(w, "duplicate_second", s),
        "reason": "同一人",
    },
    "POST /api/v1/job-fairs/{fair_id}/registrations": lambda w, s: {
        "worker_id": _id(w, "worker", s)
    },
    "POST /api/v1/job-fairs/{fair_id}/vacancies": lambda w, s: {"vacancy_id": _id(w, "vacancy", s)},
    "POST /api/v1/placements": lambda w, s: {
        "worker_id": _id(w, "worker", s),
        "employer_id": _id(w, "employer", s),
        "start_date": "2026-01-15",
        "monthly_wage": 8000,
    },
    "POST /api/v1/referrals": lambda w, s: {
        "vacancy_id": _id(w, "vacancy", s),
        "worker_id": _id(w, "worker", s),
    },
    "POST /api/v1/referrals/{referral_id}/transition": {"to_status": "interviewed", "version": 1},
    "POST /api/v1/service-referrals": lambda w, s: {
        "worker_id": _id(w, "worker", s),
        "service_id": _id(w, "referable_service"),
        "family_member_id": _id(w, "family_member", s),
    },
    "POST /api/v1/service-referrals/{referral_id}/transition": {
        "to_status": "pending",
        "version": 1,
    },
    "POST /api/v1/public-services": {
        "city": "440300",
        "kind": "public_rental_housing",
        "name": "x",
    },
    "POST /api/v1/public-service-versions/{version_id}/transition": {
        "to_status": "published",
        "version": 1,
    },
    "PATCH /api/v1/public-service-versions/{version_id}": {"version": 1},
    "PATCH /api/v1/workers/{worker_id}/family/{member_id}": {"version": 1, "name": "张小华"},
    "POST /api/v1/settlement/policies": {"city": "440300", "purpose": "hukou", "name": "x"},
    "POST /api/v1/training/claims": lambda w, s: {"enrolment_id": _id(w, "enrolment", s)},
    "POST /api/v1/training/eligibility-check": lambda w, s: {
        "worker_id": _id(w, "worker", s),
        "occupation": "6-18-02-04",
        "level": 4,
    },
    "POST /api/v1/training/enrolments/{enrolment_id}/transition": {
        "to_status": "withdrawn",
        "reason": "x",
        "version": 1,
    },
    "POST /api/v1/cases/{case_id}/transition": {
        "to_status": "accepted",
        "reason": "x",
        "version": 1,
    },
    "POST /api/v1/activity-registrations/{registration_id}/transition": {
        "to_status": "cancelled",
        "version": 1,
    },
    "POST /api/v1/nominations/{nomination_id}/transition": {
        "to_status": "under_review",
        "reason": "x",
        "version": 1,
    },
}


# --- The API, by "METHOD /path" of the OpenAPI document --------------------------------------
API_RULES: dict[str, Rule] = {
    "GET /api/v1/public-activities": Rule(ALL_STAFF),
    "GET /api/v1/public-activities/{activity_id}": Rule(ALL_STAFF),
    "GET /api/v1/public-activities/{activity_id}/registrations": Rule(ALL_STAFF),
    "PATCH /api/v1/public-activities/{activity_id}": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/public-activities": Rule(
        only(STATION, PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/public-activities/{activity_id}/transition": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/public-activities/{activity_id}/registrations": Rule(
        but(ANALYST), ok=GATE_PASSED
    ),
    "POST /api/v1/activity-registrations/{registration_id}/transition": Rule(
        but(ANALYST), ok=GATE_PASSED
    ),
    "POST /api/v1/activity-registrations/{registration_id}/feedback": Rule(
        but(ANALYST), ok=GATE_PASSED
    ),
    "DELETE /api/v1/settlement/workers/{worker_id}/contributions/{spell_id}": Rule(
        but(ANALYST), ok=GATE_PASSED
    ),
    "DELETE /api/v1/settlement/workers/{worker_id}/residences/{spell_id}": Rule(
        but(ANALYST), ok=GATE_PASSED
    ),
    "DELETE /api/v1/tokens/{token_id}": Rule(ALL_STAFF, ok=GATE_PASSED),
    "DELETE /api/v1/workers/{worker_id}/family/{member_id}": Rule(but(ANALYST), ok=GATE_PASSED),
    "GET /api/v1/award-rounds": Rule(ALL_STAFF),
    "GET /api/v1/award-rounds/{round_id}": Rule(but(STATION, CASE, EMPLOYMENT), deny=404),
    "GET /api/v1/briefing": Rule(ALL_STAFF),
    "GET /api/v1/calendar-days": Rule(ALL_STAFF),
    "GET /api/v1/cases": Rule(ALL_STAFF),
    "GET /api/v1/cases/{case_id}": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "GET /api/v1/cases/{case_id}/attachments": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "GET /api/v1/cases/{case_id}/attachments/{attachment_id}": Rule(
        but(PROGRAMME, EMPLOYMENT), deny=404
    ),
    "GET /api/v1/classifications": Rule(ALL_STAFF),
    "GET /api/v1/employers": Rule(ALL_STAFF),
    "GET /api/v1/employers/{employer_id}": Rule(ALL_STAFF),
    "GET /api/v1/employers/{employer_id}/cases": Rule(ALL_STAFF),
    "GET /api/v1/exports": Rule(ALL_STAFF),
    "GET /api/v1/exports/{export_id}": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), deny=404),
    "GET /api/v1/exports/{export_id}/download": Rule(
        only(ORG_ADMIN, SYSTEM_ADMIN), deny=404, ok=409
    ),
    "GET /api/v1/follow-ups": Rule(ALL_STAFF),
    "GET /api/v1/imports": Rule(ALL_STAFF),
    "GET /api/v1/imports/{job_id}": Rule(ALL_STAFF),
    "GET /api/v1/imports/{job_id}/errors": Rule(ALL_STAFF),
    "GET /api/v1/indicators": Rule(ALL_STAFF),
    "GET /api/v1/indicators/{key}": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "GET /api/v1/indicators/{key}/values": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "GET /api/v1/job-fairs": Rule(ALL_STAFF),
    "GET /api/v1/job-fairs/{fair_id}": Rule(but(CASE), deny=404, out=200),
    "GET /api/v1/job-seekers/{worker_id}": Rule(but(CASE), deny=404),
    "GET /api/v1/job-seekers/{worker_id}/vacancies": Rule(but(CASE), deny=404),
    "GET /api/v1/me": Rule(ALL_STAFF),
    "GET /api/v1/nominations": Rule(ALL_STAFF),
    "GET /api/v1/nominations/{nomination_id}": Rule(but(STATION, CASE, EMPLOYMENT), deny=404),
    "GET /api/v1/nominations/{nomination_id}/evidence": Rule(
        but(STATION, CASE, EMPLOYMENT), deny=404
    ),
    "GET /api/v1/nominations/{nomination_id}/evidence/{evidence_id}": Rule(
        but(STATION, CASE, EMPLOYMENT), deny=404
    ),
    "GET /api/v1/nominations/{nomination_id}/objections": Rule(
        but(STATION, CASE, EMPLOYMENT), deny=404
    ),
    "GET /api/v1/notifications": Rule(ALL_STAFF),
    "GET /api/v1/occupations": Rule(ALL_STAFF),
    "GET /api/v1/organisations": Rule(ALL_STAFF),
    "GET /api/v1/placements": Rule(ALL_STAFF),
    "GET /api/v1/projects": Rule(ALL_STAFF),
    "GET /api/v1/projects/{project_id}": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "GET /api/v1/projects/{project_id}/cases": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "POST /api/v1/projects/{project_id}/arrears-flag": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
    ),
    "GET /api/v1/public-services": Rule(ALL_STAFF),
    "GET /api/v1/public-services/{service_id}": Rule(ALL_STAFF),
    "GET /api/v1/referrals": Rule(ALL_STAFF),
    "GET /api/v1/referrals/{referral_id}": Rule(but(CASE), deny=404),
    "GET /api/v1/regions": Rule(ALL_STAFF),
    "GET /api/v1/regions/{code}": Rule(ALL_STAFF),
    "GET /api/v1/service-referrals": Rule(ALL_STAFF),
    "GET /api/v1/service-referrals/{referral_id}": Rule(ALL_STAFF),
    "GET /api/v1/service-types": Rule(ALL_STAFF),
    "GET /api/v1/settlement/city-groups": Rule(ALL_STAFF),
    "GET /api/v1/settlement/policies": Rule(ALL_STAFF),
    "GET /api/v1/settlement/policies/{policy_id}": Rule(ALL_STAFF),
    "GET /api/v1/settlement/policy-versions/{version_id}": Rule(ALL_STAFF),
    "GET /api/v1/settlement/policy-versions/{version_id}/impact": Rule(only(SYSTEM_ADMIN)),
    "GET /api/v1/settlement/results/by-city": Rule(but(STATION, CASE, EMPLOYMENT)),
    "GET /api/v1/settlement/workers/{worker_id}/contributions": Rule(ALL_STAFF),
    "GET /api/v1/settlement/workers/{worker_id}/eligibility": Rule(ALL_STAFF),
    "GET /api/v1/settlement/workers/{worker_id}/eligibility/{city}": Rule(ALL_STAFF),
    "GET /api/v1/settlement/workers/{worker_id}/facts": Rule(ALL_STAFF),
    "GET /api/v1/settlement/workers/{worker_id}/residences": Rule(ALL_STAFF),
    "GET /api/v1/station-types": Rule(ALL_STAFF),
    "GET /api/v1/stations": Rule(ALL_STAFF),
    "GET /api/v1/stations/{station_id}": Rule(ALL_STAFF),
    "GET /api/v1/stations/{station_id}/today": Rule(ALL_STAFF),
    "GET /api/v1/tokens": Rule(ALL_STAFF),
    "GET /api/v1/training/campaigns": Rule(ALL_STAFF),
    "GET /api/v1/training/campaigns/{campaign_id}": Rule(ALL_STAFF),
    "GET /api/v1/training/campaigns/{campaign_id}/progress": Rule(ALL_STAFF),
    "GET /api/v1/training/claim-totals": Rule(ALL_STAFF),
    "GET /api/v1/training/claims": Rule(ALL_STAFF),
    "GET /api/v1/training/courses": Rule(ALL_STAFF),
    "GET /api/v1/training/courses/{course_id}": Rule(ALL_STAFF),
    "GET /api/v1/training/eligibility-rules": Rule(ALL_STAFF),
    "GET /api/v1/training/enrolments": Rule(ALL_STAFF),
    "GET /api/v1/training/enrolments/{enrolment_id}": Rule(ALL_STAFF),
    "GET /api/v1/training/institutions": Rule(ALL_STAFF),
    "GET /api/v1/training/programmes": Rule(ALL_STAFF),
    "GET /api/v1/training/studies": Rule(ALL_STAFF),
    "GET /api/v1/training/workers/{worker_id}/pathway": Rule(ALL_STAFF),
    "GET /api/v1/vacancies": Rule(ALL_STAFF),
    "GET /api/v1/vacancies/{vacancy_id}": Rule(but(CASE), deny=404, out=200),
    "GET /api/v1/vacancies/{vacancy_id}/candidates": Rule(but(CASE), deny=404, out=200),
    "GET /api/v1/visits": Rule(ALL_STAFF),
    "GET /api/v1/visits/{visit_id}": Rule(ALL_STAFF),
    "GET /api/v1/workers": Rule(ALL_STAFF),
    "GET /api/v1/workers/duplicates": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "GET /api/v1/workers/{worker_id}": Rule(ALL_STAFF),
    "GET /api/v1/workers/{worker_id}/certificates": Rule(ALL_STAFF),
    "GET /api/v1/workers/{worker_id}/family": Rule(ALL_STAFF),
    "GET /api/v1/workers/{worker_id}/public-services": Rule(ALL_STAFF),
    "GET /api/v1/workers/{worker_id}/timeline": Rule(ALL_STAFF),
    "PATCH /api/v1/award-rounds/{round_id}": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
    ),
    "PATCH /api/v1/cases/{case_id}/claimants/{claimant_id}": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
    ),
    "PATCH /api/v1/nominations/{nomination_id}": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), deny=404, deny_for={ANALYST: 403}, ok=GATE_PASSED
    ),
    "PATCH /api/v1/public-service-versions/{version_id}": Rule(
        only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "PATCH /api/v1/regions/{code}": Rule(only(SYSTEM_ADMIN), ok=GATE_PASSED),
    "PATCH /api/v1/settlement/city-groups/{group_id}": Rule(only(SYSTEM_ADMIN), ok=GATE_PASSED),
    "PATCH /api/v1/settlement/policy-versions/{version_id}": Rule(
        only(SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "PATCH /api/v1/settlement/workers/{worker_id}/contributions/{spell_id}": Rule(
        but(ANALYST), ok=GATE_PASSED
    ),
    "PATCH /api/v1/settlement/workers/{worker_id}/residences/{spell_id}": Rule(
        but(ANALYST), ok=GATE_PASSED
    ),
    "PATCH /api/v1/stations/{station_id}": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "PATCH /api/v1/vacancies/{vacancy_id}": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), deny_for={CASE: 404}, ok=GATE_PASSED, out=403
    ),
    "PATCH /api/v1/workers/{worker_id}": Rule(but(ANALYST), ok=GATE_PASSED),
    "PATCH /api/v1/workers/{worker_id}/family/{member_id}": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/auth/token": Rule(ALL_STAFF | {ANONYMOUS, WORKER}, ok=GATE_PASSED),
    "POST /api/v1/award-rounds": Rule(only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/award-rounds/{round_id}/conclude": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/award-rounds/{round_id}/nominations": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), deny=404, deny_for={ANALYST: 403}, ok=GATE_PASSED
    ),
    "POST /api/v1/award-rounds/{round_id}/quotas": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/calendar-days": Rule(only(SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/cases": Rule(but(PROGRAMME, EMPLOYMENT, ANALYST), ok=GATE_PASSED),
    "POST /api/v1/cases/{case_id}/assign": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/cases/{case_id}/attachments": Rule(
        but(PROGRAMME, EMPLOYMENT, ANALYST), deny=404, deny_for={ANALYST: 403}, ok=GATE_PASSED
    ),
    "POST /api/v1/cases/{case_id}/claimants": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/cases/{case_id}/deadlines/{deadline_id}/extend": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/cases/{case_id}/deadlines/{deadline_id}/met": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/cases/{case_id}/notes": Rule(
        but(PROGRAMME, EMPLOYMENT, ANALYST), deny=404, deny_for={ANALYST: 403}, ok=GATE_PASSED
    ),
    "POST /api/v1/cases/{case_id}/refer": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/cases/{case_id}/transfer": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/cases/{case_id}/transition": Rule(
        only(STATION, CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny=404,
        deny_for={ANALYST: 403},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/employer-accounts": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/employers": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/employers/{employer_id}/arrears-flag": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/exports": Rule(ALL_STAFF, ok=GATE_PASSED),
    "POST /api/v1/exports/{export_id}/retry": Rule(
        only(ORG_ADMIN, SYSTEM_ADMIN), deny=404, ok=GATE_PASSED
    ),
    "POST /api/v1/follow-ups/{followup_id}/answer": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), deny_for={CASE: 404}, ok=GATE_PASSED
    ),
    "POST /api/v1/imports": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/job-fairs": Rule(only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/job-fairs/{fair_id}/employers": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), deny_for={CASE: 404}, ok=GATE_PASSED, out=403
    ),
    "POST /api/v1/job-fairs/{fair_id}/registrations": Rule(
        but(CASE, PROGRAMME, ANALYST), deny_for={CASE: 404}, ok=GATE_PASSED
    ),
    "POST /api/v1/job-fairs/{fair_id}/transition": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), deny_for={CASE: 404}, ok=GATE_PASSED, out=403
    ),
    "POST /api/v1/job-fairs/{fair_id}/vacancies": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), deny_for={CASE: 404}, ok=GATE_PASSED, out=403
    ),
    "POST /api/v1/nominations/{nomination_id}/evidence": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), deny=404, deny_for={ANALYST: 403}, ok=GATE_PASSED
    ),
    "POST /api/v1/nominations/{nomination_id}/objections": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/nominations/{nomination_id}/objections/{objection_id}/handle": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
    ),
    "POST /api/v1/nominations/{nomination_id}/transition": Rule(
        but(STATION, CASE, EMPLOYMENT), deny=404, ok=GATE_PASSED
    ),
    "POST /api/v1/notifications/{notification_id}/read": Rule(ALL_STAFF, ok=GATE_PASSED),
    "POST /api/v1/placements": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), deny_for={CASE: 404}, ok=GATE_PASSED
    ),
    "POST /api/v1/public-service-versions/{version_id}/transition": Rule(
        only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/public-services": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/public-services/{service_id}/versions": Rule(
        only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/referrals": Rule(
        but(CASE, PROGRAMME, ANALYST), deny_for={CASE: 404}, ok=GATE_PASSED
    ),
    "POST /api/v1/referrals/{referral_id}/transition": Rule(
        but(STATION, CASE, PROGRAMME), deny_for={CASE: 404}, ok=GATE_PASSED
    ),
    "POST /api/v1/service-referrals": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/service-referrals/{referral_id}/transition": Rule(
        only(SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/settlement/batch-runs": Rule(only(SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/settlement/city-groups": Rule(only(SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/settlement/policies": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/settlement/policies/{policy_id}/versions": Rule(
        only(SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/settlement/policy-versions/{version_id}/transition": Rule(
        only(SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/settlement/workers/{worker_id}/contributions": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/settlement/workers/{worker_id}/history": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/settlement/workers/{worker_id}/residences": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/stations": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/tokens": Rule(ALL_STAFF, ok=GATE_PASSED),
    "POST /api/v1/training/campaigns": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/training/claims": Rule(only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/training/claims/{claim_id}/transition": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), deny=404, deny_for={ANALYST: 403}, ok=GATE_PASSED
    ),
    "POST /api/v1/training/courses": Rule(only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/training/courses/{course_id}/claims": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/training/courses/{course_id}/enrolments": Rule(
        but(CASE, ANALYST), ok=GATE_PASSED
    ),
    "POST /api/v1/training/eligibility-check": Rule(ALL_STAFF, ok=GATE_PASSED),
    "POST /api/v1/training/eligibility-rules": Rule(NOBODY, ok=GATE_PASSED),
    "POST /api/v1/training/enrolments/{enrolment_id}/attendance": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/training/enrolments/{enrolment_id}/transition": Rule(
        but(CASE, ANALYST), ok=GATE_PASSED
    ),
    "POST /api/v1/training/institutions": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/training/programmes": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/training/programmes/{programme_id}/studies": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED, out=422
    ),
    "POST /api/v1/training/studies/{study_id}/credits": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/training/studies/{study_id}/transition": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/vacancies": Rule(only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/vacancies/{vacancy_id}/transition": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), deny_for={CASE: 404}, ok=GATE_PASSED, out=403
    ),
    "POST /api/v1/visits": Rule(only(STATION, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/worker-merges/{merge_id}/undo": Rule(
        only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "POST /api/v1/workers": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/workers/{keep_id}/merge": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED),
    "POST /api/v1/workers/{worker_id}/certificates": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/workers/{worker_id}/consents": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/workers/{worker_id}/family": Rule(but(ANALYST), ok=GATE_PASSED),
    "POST /api/v1/workers/{worker_id}/reveal": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "PUT /api/v1/job-seekers/{worker_id}": Rule(
        but(CASE, PROGRAMME, ANALYST), deny_for={CASE: 404}, ok=GATE_PASSED
    ),
    "PUT /api/v1/settlement/workers/{worker_id}/facts/{key}": Rule(but(ANALYST), ok=GATE_PASSED),
    "PUT /api/v1/training/campaigns/{campaign_id}/targets": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "PUT /api/v1/training/courses/{course_id}": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED
    ),
    "PUT /api/v1/training/eligibility-rules/{rule_id}": Rule(NOBODY, ok=GATE_PASSED),
}

# --- Pages, by URL name ----------------------------------------------------------------------
PAGE_RULES: dict[str, Rule] = {
    "publicservices:activities": Rule(ALL_STAFF),
    "publicservices:activity": Rule(ALL_STAFF),
    "publicservices:activity_new": Rule(only(STATION, PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN)),
    "publicservices:activity_edit": Rule(only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN)),
    # An empty form is sent back (302 to the activity) before any capability check: no change.
    "publicservices:activity_transition": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN), deny=302, ok=GATE_PASSED, method="POST"
    ),
    "publicservices:activity_register": Rule(but(ANALYST), ok=GATE_PASSED, method="POST"),
    # An empty form is sent back (302 to the activity) before any capability check: no change.
    "publicservices:registration_transition": Rule(
        but(ANALYST), deny=302, ok=GATE_PASSED, method="POST"
    ),
    "publicservices:registration_feedback": Rule(but(ANALYST), ok=GATE_PASSED, method="POST"),
    "accounts:audit": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), deny=404),
    "accounts:login": Rule(frozenset({ANONYMOUS, WORKER}), deny=302),
    "accounts:logout": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "accounts:organisations": Rule(ALL_STAFF),
    "accounts:token_revoke": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "accounts:tokens": Rule(ALL_STAFF),
    "accounts:two_factor_reset": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED, method="POST"),
    "accounts:two_factor_setup": Rule(ALL_STAFF),
    "accounts:two_factor_verify": Rule(ALL_STAFF, ok=302),
    "accounts:user_create": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "accounts:user_edit": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "accounts:users": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "api:api-root": Rule(EVERYONE, ok=404),
    "api:openapi-json": Rule(ALL_STAFF | {ANONYMOUS, WORKER}),
    "api:openapi-view": Rule(ALL_STAFF | {ANONYMOUS, WORKER}),
    "cases:assign": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:attachment_add": Rule(
        but(PROGRAMME, EMPLOYMENT, ANALYST),
        deny=404,
        deny_for={ANALYST: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:attachment_download": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "cases:claimant_add": Rule(but(PROGRAMME, EMPLOYMENT), deny=404, ok=GATE_PASSED, method="POST"),
    "cases:claimant_row": Rule(NOBODY, deny=404, ok=GATE_PASSED, method="POST"),
    "cases:deadline_extend": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:deadline_met": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:calendar": Rule(only(SYSTEM_ADMIN)),
    "cases:detail": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "cases:employer_cases": Rule(ALL_STAFF),
    "cases:employer_search": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "cases:new": Rule(but(PROGRAMME, EMPLOYMENT, ANALYST)),
    "cases:note": Rule(
        but(PROGRAMME, EMPLOYMENT, ANALYST),
        deny=404,
        deny_for={ANALYST: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:notification_read": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "cases:notifications": Rule(ALL_STAFF),
    "cases:outcome": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:project_pick": Rule(NOBODY, deny=404, ok=GATE_PASSED, method="POST"),
    "cases:project_search": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "cases:projects": Rule(ALL_STAFF),
    "cases:project": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "cases:project_flag": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:queue": Rule(ALL_STAFF),
    "cases:refer": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:respondent_row": Rule(NOBODY, deny=404, ok=GATE_PASSED, method="POST"),
    "cases:transfer": Rule(
        only(CASE, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={PROGRAMME: 404, EMPLOYMENT: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "cases:transition": Rule(but(PROGRAMME, EMPLOYMENT), deny=404, ok=GATE_PASSED, method="POST"),
    "cases:worker_search": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "classifications:occupation_options": Rule(ALL_STAFF),
    "core:home": Rule(ALL_STAFF),
    "employers:detail": Rule(ALL_STAFF),
    "employers:flag": Rule(only(CASE, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED, method="POST"),
    "employers:list": Rule(ALL_STAFF),
    "employers:new": Rule(but(ANALYST)),
    "exports:detail": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), deny=404),
    "exports:download": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), deny=404, ok=400),
    "exports:list": Rule(ALL_STAFF),
    "exports:new": Rule(NOBODY, deny=404),
    "exports:retry": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), deny=404, ok=GATE_PASSED, method="POST"),
    "healthz": Rule(ALL_STAFF | {ANONYMOUS, WORKER}),
    "imports:cancel": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "imports:detail": Rule(ALL_STAFF),
    "imports:errors_csv": Rule(ALL_STAFF),
    "imports:errors_xlsx": Rule(ALL_STAFF),
    "imports:list": Rule(ALL_STAFF),
    "imports:new": Rule(ALL_STAFF),
    "imports:template": Rule(ALL_STAFF),
    "indicators:briefing": Rule(ALL_STAFF),
    "indicators:catalogue": Rule(ALL_STAFF),
    "indicators:dashboard": Rule(ALL_STAFF),
    "indicators:export": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "indicators:indicator": Rule(but(PROGRAMME, EMPLOYMENT), deny=404),
    "jobs:fair": Rule(but(CASE), deny=404, out=200),
    "jobs:fair_action": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={CASE: 404},
        ok=GATE_PASSED,
        out=403,
        method="POST",
    ),
    "jobs:fair_attended": Rule(
        but(CASE, PROGRAMME, ANALYST), deny_for={CASE: 404}, ok=GATE_PASSED, method="POST"
    ),
    "jobs:fairs": Rule(but(CASE), deny=404),
    "jobs:followup_answer": Rule(but(CASE), deny=404),
    "jobs:followups": Rule(but(CASE), deny=404),
    "jobs:referral": Rule(but(CASE), deny=404),
    "jobs:referral_transition": Rule(but(CASE), deny=404, ok=GATE_PASSED, method="POST"),
    "jobs:referrals": Rule(but(CASE), deny=404),
    "jobs:vacancies": Rule(but(CASE), deny=404),
    "jobs:vacancy": Rule(but(CASE), deny=404, out=200),
    "jobs:vacancy_candidates": Rule(but(CASE), deny=404, out=200),
    "jobs:vacancy_edit": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN), deny_for={CASE: 404}, out=403
    ),
    "jobs:vacancy_new": Rule(only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN)),
    "jobs:vacancy_refer": Rule(NOBODY, deny=404, ok=GATE_PASSED, method="POST"),
    "jobs:vacancy_transition": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={CASE: 404},
        ok=GATE_PASSED,
        out=403,
        method="POST",
    ),
    "jobs:worker": Rule(but(CASE), deny=404),
    "jobs:worker_placement": Rule(
        only(EMPLOYMENT, ORG_ADMIN, SYSTEM_ADMIN),
        deny_for={CASE: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "jobs:worker_profile": Rule(
        but(CASE, PROGRAMME, ANALYST), deny_for={CASE: 404}, ok=GATE_PASSED, method="POST"
    ),
    "jobs:worker_refer": Rule(NOBODY, deny=404, ok=GATE_PASSED, method="POST"),
    # Refusals only: the test settings' immediate task backend cannot re-enqueue a stored task.
    "ops:task_retry": Rule(only(SYSTEM_ADMIN), ok=GATE_PASSED, method="POST", accept=False),
    "ops:task_detail": Rule(only(SYSTEM_ADMIN)),
    "ops:tasks": Rule(only(SYSTEM_ADMIN)),
    "portal:case_detail": Rule(frozenset({WORKER}), deny=302),
    "portal:cases": Rule(frozenset({WORKER}), deny=302),
    "portal:complaint_new": Rule(frozenset({WORKER}), deny=302),
    "portal:consent": Rule(frozenset({WORKER}), deny=302, ok=GATE_PASSED, method="POST"),
    "portal:correction_new": Rule(frozenset({WORKER}), deny=302, ok=GATE_PASSED, method="POST"),
    "portal:correction_withdraw": Rule(
        frozenset({WORKER}), deny=302, ok=GATE_PASSED, method="POST"
    ),
    "portal:data_json": Rule(frozenset({WORKER}), deny=302),
    "portal:data_zip": Rule(frozenset({WORKER}), deny=302),
    "portal:home": Rule(frozenset({WORKER}), deny=302),
    "portal:jobs": Rule(frozenset({WORKER}), deny=302),
    "portal:jobs_apply": Rule(
        frozenset({WORKER}), deny=302, ok=GATE_PASSED, out=GATE_PASSED, method="POST"
    ),
    "portal:link": Rule(NOBODY, deny=302),
    "portal:link_cancel": Rule(frozenset({WORKER}), deny=302, ok=GATE_PASSED, method="POST"),
    "portal:my_data": Rule(frozenset({WORKER}), deny=302),
    "portal:profile": Rule(frozenset({WORKER}), deny=302),
    "portal:settlement": Rule(frozenset({WORKER}), deny=302),
    "portal:sign_in": Rule(ALL_STAFF | {ANONYMOUS}),
    "portal:sign_in_code": Rule(NOBODY, deny=302),
    "portal:sign_out": Rule(EVERYONE, ok=302, method="POST"),
    "portal:staff_correction": Rule(but(ANALYST)),
    "portal:staff_corrections": Rule(but(ANALYST)),
    "portal:staff_registration": Rule(but(ANALYST)),
    "portal:staff_registrations": Rule(but(ANALYST)),
    "portal:stations": Rule(ALL_STAFF | {ANONYMOUS, WORKER}),
    "portal:training": Rule(frozenset({WORKER}), deny=302),
    "portal:training_apply": Rule(
        frozenset({WORKER}), deny=302, ok=GATE_PASSED, out=GATE_PASSED, method="POST"
    ),
    "privacy:anonymise": Rule(NOBODY, ok=GATE_PASSED, method="POST"),
    "privacy:hold_place": Rule(NOBODY, ok=GATE_PASSED, method="POST"),
    "privacy:index": Rule(NOBODY),
    "privacy:hold_release": Rule(NOBODY, ok=GATE_PASSED, method="POST"),
    "privacy:rule_update": Rule(NOBODY, ok=GATE_PASSED, method="POST"),
    "privacy:rekey_start": Rule(NOBODY, ok=GATE_PASSED, method="POST"),
    "privacy:retention_run": Rule(NOBODY, ok=GATE_PASSED, method="POST"),
    "publicservices:catalogue": Rule(ALL_STAFF),
    "publicservices:family_add": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "publicservices:family_edit": Rule(but(ANALYST)),
    "publicservices:refer": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "publicservices:referral": Rule(ALL_STAFF),
    "publicservices:referral_transition": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "publicservices:referrals": Rule(ALL_STAFF),
    "publicservices:service": Rule(ALL_STAFF),
    "publicservices:service_new": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    # The world's catalogue version is published (frozen): the edit page sends an allowed user
    # back to the service with the reason, not a form.
    "publicservices:version_edit": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=302),
    "publicservices:version_new": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "publicservices:version_transition": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "publicservices:worker": Rule(ALL_STAFF),
    "publicservices:worker_print": Rule(ALL_STAFF),
    "publicservices:worker_text": Rule(ALL_STAFF),
    "recognition:evidence_add": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN),
        deny=404,
        deny_for={ANALYST: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "recognition:evidence_download": Rule(but(STATION, CASE, EMPLOYMENT), deny=404),
    "recognition:nominate": Rule(but(STATION, CASE, EMPLOYMENT), deny=404),
    "recognition:nomination": Rule(but(STATION, CASE, EMPLOYMENT), deny=404),
    "recognition:nomination_edit": Rule(
        only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN),
        deny=404,
        deny_for={ANALYST: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "recognition:nomination_transition": Rule(
        but(STATION, CASE, EMPLOYMENT), deny=404, ok=GATE_PASSED, method="POST"
    ),
    "recognition:objection_add": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "recognition:objection_handle": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "recognition:round": Rule(but(STATION, CASE, EMPLOYMENT), deny=404),
    "recognition:round_conclude": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "recognition:round_edit": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "recognition:round_new": Rule(only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN)),
    "recognition:round_notice": Rule(but(STATION, CASE, EMPLOYMENT), deny=404),
    "recognition:round_quota": Rule(
        only(SYSTEM_ADMIN),
        deny=404,
        deny_for={PROGRAMME: 403, ANALYST: 403, ORG_ADMIN: 403},
        ok=GATE_PASSED,
        method="POST",
    ),
    "recognition:rounds": Rule(ALL_STAFF),
    "recognition:worker_search": Rule(ALL_STAFF),
    "regions:options": Rule(ALL_STAFF),
    "set_language": Rule(ALL_STAFF, ok=302),
    "settlement:answer_print": Rule(ALL_STAFF),
    "settlement:contribution_add": Rule(but(ANALYST), ok=GATE_PASSED, method="POST"),
    "settlement:contribution_delete": Rule(but(ANALYST), ok=GATE_PASSED, method="POST"),
    "settlement:contribution_edit": Rule(ALL_STAFF),
    "settlement:fact_set": Rule(but(ANALYST), ok=GATE_PASSED, method="POST"),
    "settlement:group_edit": Rule(only(SYSTEM_ADMIN)),
    "settlement:groups": Rule(ALL_STAFF),
    "settlement:policies": Rule(ALL_STAFF),
    "settlement:policy": Rule(ALL_STAFF),
    "settlement:policy_new": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "settlement:residence_add": Rule(but(ANALYST), ok=GATE_PASSED, method="POST"),
    "settlement:residence_delete": Rule(but(ANALYST), ok=GATE_PASSED, method="POST"),
    "settlement:residence_edit": Rule(ALL_STAFF),
    "settlement:version": Rule(ALL_STAFF),
    "settlement:version_edit": Rule(only(SYSTEM_ADMIN)),
    "settlement:version_first": Rule(only(SYSTEM_ADMIN)),
    "settlement:version_impact": Rule(only(SYSTEM_ADMIN)),
    "settlement:version_new": Rule(only(SYSTEM_ADMIN), ok=GATE_PASSED, method="POST"),
    "settlement:version_transition": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "settlement:worker": Rule(ALL_STAFF),
    "stations:create": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "stations:detail": Rule(ALL_STAFF),
    "stations:edit": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "stations:front_desk": Rule(only(STATION, ORG_ADMIN, SYSTEM_ADMIN)),
    "stations:front_desk_choose": Rule(
        NOBODY,
        deny_for={STATION: 404, ORG_ADMIN: 404, SYSTEM_ADMIN: 404},
        ok=GATE_PASSED,
        method="POST",
    ),
    "stations:front_desk_log": Rule(
        only(STATION, ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED, method="POST"
    ),
    "stations:front_desk_search": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "stations:list": Rule(ALL_STAFF),
    "stations:today": Rule(ALL_STAFF),
    "stations:worker_visits": Rule(ALL_STAFF),
    "training:attendance": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "training:campaign": Rule(ALL_STAFF),
    "training:campaign_new": Rule(only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN)),
    "training:campaigns": Rule(ALL_STAFF),
    "training:claim_transition": Rule(
        but(STATION, CASE, EMPLOYMENT), deny=404, ok=GATE_PASSED, method="POST"
    ),
    "training:claims": Rule(ALL_STAFF),
    "training:course": Rule(ALL_STAFF),
    "training:course_claims": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "training:course_edit": Rule(only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN)),
    "training:course_new": Rule(only(PROGRAMME, ORG_ADMIN, SYSTEM_ADMIN)),
    "training:courses": Rule(ALL_STAFF),
    "training:education": Rule(ALL_STAFF),
    "training:eligibility": Rule(ALL_STAFF),
    "training:enrolment": Rule(ALL_STAFF),
    # The form offers only the statuses the caller's role may choose: other roles' requests are
    # refused as an invalid choice (the page again, 200, with the error; nothing changes).
    "training:enrolment_transition": Rule(
        but(CASE, ANALYST),
        deny_for={CASE: 200, ANALYST: 200},
        ok=GATE_PASSED,
        method="POST",
        body={"to_status": "withdrawn", "reason": "x", "version": "1"},
    ),
    "training:enrolment_claim": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "training:home": Rule(ALL_STAFF),
    "training:pathway": Rule(ALL_STAFF),
    "training:programme": Rule(ALL_STAFF, out=200),
    "training:rule_edit": Rule(NOBODY),
    "training:rules": Rule(ALL_STAFF),
    "training:study": Rule(ALL_STAFF),
    "workers:certificate_add": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "workers:consent": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "workers:detail": Rule(ALL_STAFF),
    "workers:duplicates": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "workers:edit": Rule(but(ANALYST)),
    "workers:id_check": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
    "workers:list": Rule(ALL_STAFF),
    "workers:merge": Rule(only(ORG_ADMIN, SYSTEM_ADMIN)),
    "workers:merge_undo": Rule(only(ORG_ADMIN, SYSTEM_ADMIN), ok=GATE_PASSED, method="POST"),
    "workers:register": Rule(but(ANALYST)),
    "workers:reveal": Rule(ALL_STAFF, ok=GATE_PASSED, method="POST"),
}

# URL patterns deliberately left out of the matrix, with the reason.
SKIPPED_PAGES: dict[str, str] = {}
