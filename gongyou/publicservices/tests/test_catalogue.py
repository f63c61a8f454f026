"""The catalogue: seeded entries with trust tags, validation through the settlement rules, the
version lifecycle (every edge), one version in force, editing rights."""

from __future__ import annotations

import itertools

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.publicservices import selectors, services
from gongyou.publicservices.enums import VERSION_TRANSITIONS, VersionStatus
from gongyou.publicservices.models import PublicService, ServiceVersion
from gongyou.publicservices.services import (
    TransitionNotAllowed,
    VersionChanged,
    VersionOverlap,
    catalogue,
)

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_seeded_catalogue_is_marked_and_invents_nothing():
    assert PublicService.objects.count() == 25
    for v in ServiceVersion.objects.select_related("service"):
        assert v.status == "published" and v.trust in ("V", "U") and v.source
        assert v.documents == [] and v.how_to_apply == "" and v.department_id is None
        if v.trust == "U":
            assert v.conditions == [] and not v.open_to_all and not v.needs_points
    open_kinds = set(
        ServiceVersion.objects.filter(open_to_all=True).values_list("service__kind", flat=True)
    )
    assert open_kinds == {"medical_insurance", "pension_insurance"}
    sh = ServiceVersion.objects.get(needs_points=True)
    assert sh.service.city_id == "310100" and sh.beneficiary == "child"


def test_service_create_validates_every_field(admin_actor):
    with pytest.raises(ValidationFailed) as exc:
        services.service_create(actor=admin_actor, city="440305", kind="nope", name="")
    assert set(exc.value.fields) == {"city", "kind", "name"}
    assert exc.value.fields["city"]["code"] == "not_a_city"
    services.service_create(actor=admin_actor, city="440300", kind="legal_aid", name="法律援助")
    with pytest.raises(Conflict):
        services.service_create(actor=admin_actor, city="440300", kind="legal_aid", name="法律援助")


def test_version_conditions_use_the_settlement_rules(admin_actor, department, orgs):
    service = services.service_create(
        actor=admin_actor, city="440300", kind="legal_aid", name="法律援助"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.service_version_create(
            actor=admin_actor,
            service=service,
            data={
                "conditions": [{"type": "social_insurance", "min_months": -1}, {"type": "magic"}],
                "department": orgs["sz"].pk,
                "effective_from": "2024-13-01",
                "trust": "X",
                "open_to_all": True,
            },
        )
    fields = exc.value.fields
    assert set(fields) == {"conditions", "department", "effective_from", "source", "trust"}
    assert "min_months" in fields["conditions"]["message"]
    assert fields["department"]["code"] == "not_a_department"
    with pytest.raises(ValidationFailed) as exc:
        _draft(admin_actor, service, open_to_all=True, conditions=[{"type": "residence_permit"}])
    assert set(exc.value.fields) == {"open_to_all"}
    v = services.service_version_create(
        actor=admin_actor,
        service=service,
        data={
            "conditions": [{"type": "residence_permit"}],
            "department": department.pk,
            "documents": "身份证\n\n居住证\n",
            "effective_from": "2024-01-01",
            "source": "测试",
            "trust": "S",
        },
    )
    assert v.documents == ["身份证", "居住证"]
    assert v.conditions[0]["trust"] == "U"  # each condition carries its own trust tag
    assert v.department_label == "深圳市教育局"


def _draft(admin_actor, service, **data):
    return services.service_version_create(
        actor=admin_actor,
        service=service,
        data={"effective_from": "2024-01-01", "source": "s", "trust": "V", **data},
    )


def _bring(admin_actor, status):
    service = services.service_create(actor=admin_actor, city="440300", kind="other", name="x")
    v = _draft(admin_actor, service)
    path = {"draft": [], "published": ["published"], "withdrawn": ["withdrawn"]}[status]
    for step in path:
        v = services.service_version_transition(
            actor=admin_actor, version=v, to_status=step, reason="r", expected_version=v.version
        )
    return v


ALLOWED = sorted((a, b) for a, targets in VERSION_TRANSITIONS.items() for b in targets)
REFUSED = [
    (a, b)
    for a, b in itertools.product(VersionStatus.values, VersionStatus.values)
    if b not in VERSION_TRANSITIONS[a]
]


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_version_edge(admin_actor, source, target):
    v = _bring(admin_actor, source)
    v = services.service_version_transition(
        actor=admin_actor, version=v, to_status=target, reason="r", expected_version=v.version
    )
    assert v.status == target
    assert AuditEvent.objects.filter(action="publicservices.version.transition").exists()


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_disallowed_version_edge(admin_actor, source, target):
    v = _bring(admin_actor, source)
    with pytest.raises(TransitionNotAllowed):
        services.service_version_transition(
            actor=admin_actor, version=v, to_status=target, reason="r", expected_version=v.version
        )


def test_publishing_closes_the_open_version_and_one_is_in_force(admin_actor):
    service = services.service_create(actor=admin_actor, city="440300", kind="other", name="x")
    v1 = _draft(admin_actor, service, documents=["身份证"])
    v1 = services.service_version_transition(
        actor=admin_actor, version=v1, to_status="published", expected_version=1
    )
    v2 = services.service_version_create(
        actor=admin_actor, service=service, data={"effective_from": "2025-01-01"}
    )
    assert v2.documents == ["身份证"]  # copied from the latest version
    services.service_version_transition(
        actor=admin_actor, version=v2, to_status="published", expected_version=1
    )
    v1.refresh_from_db()
    assert str(v1.effective_to) == "2024-12-31"
    assert selectors.version_in_force(service=service, day=DAY).number == 2
    # A third version starting inside the closed v1 overlaps it.
    v3 = services.service_version_create(
        actor=admin_actor, service=service, data={"effective_from": "2024-06-01"}
    )
    with pytest.raises(VersionOverlap):
        services.service_version_transition(
            actor=admin_actor, version=v3, to_status="published", expected_version=1
        )


def test_published_is_frozen_and_stale_edits_refused(admin_actor):
    v = _bring(admin_actor, "draft")
    v = services.service_version_update(
        actor=admin_actor, version=v, data={"how_to_apply": "网上申请"}, expected_version=1
    )
    assert v.how_to_apply == "网上申请" and v.version == 2
    with pytest.raises(VersionChanged):
        services.service_version_update(actor=admin_actor, version=v, data={}, expected_version=1)
    v = services.service_version_transition(
        actor=admin_actor, version=v, to_status="published", expected_version=2
    )
    with pytest.raises(Conflict):
        services.service_version_update(
            actor=admin_actor, version=v, data={}, expected_version=v.version
        )
    with pytest.raises(ValidationFailed) as exc:
        services.service_version_transition(
            actor=admin_actor, version=v, to_status="withdrawn", expected_version=v.version
        )
    assert "reason" in exc.value.fields


def test_drafting_and_editing_a_version_are_audited(admin, admin_actor):
    service = services.service_create(actor=admin_actor, city="440300", kind="other", name="x")
    v = _draft(admin_actor, service, documents=["身份证"])
    assert (v.number, v.status, v.version, v.created_by_id) == (1, "draft", 1, admin.pk)
    created = AuditEvent.objects.get(action="publicservices.version.create")
    assert (created.entity_type, created.entity_id) == ("publicservices.serviceversion", str(v.pk))
    assert created.before is None
    assert set(created.after) == {*catalogue.VERSION_FIELDS, "status", "number"}
    assert (created.after["status"], created.after["number"]) == ("draft", 1)
    assert (created.after["documents"], created.after["department"]) == (["身份证"], None)
    assert (created.actor_id, created.region_code, created.summary) == (admin.pk, "440300", "x v1")
    v = services.service_version_update(
        actor=admin_actor,
        version=v,
        data={"how_to_apply": "窗口办理", "effective_to": "2024-12-31"},
        expected_version=1,
    )
    assert (v.how_to_apply, str(v.effective_to), v.version) == ("窗口办理", "2024-12-31", 2)
    updated = AuditEvent.objects.get(action="publicservices.version.update")
    assert updated.entity_id == str(v.pk)
    assert updated.before == created.after
    assert updated.after == {
        **created.after,
        "how_to_apply": "窗口办理",
        "effective_to": "2024-12-31",
    }
    assert (updated.actor_id, updated.region_code, updated.summary) == (admin.pk, "440300", "x v1")


def test_an_edit_is_checked_with_the_stored_fields(admin_actor):
    v = _bring(admin_actor, "draft")
    with pytest.raises(ValidationFailed) as exc:
        services.service_version_update(
            actor=admin_actor,
            version=v,
            data={"open_to_all": True, "conditions": [{"type": "residence_permit"}]},
            expected_version=1,
        )
    assert set(exc.value.fields) == {"open_to_all"}
    with pytest.raises(ValidationFailed) as exc:
        services.service_version_update(
            actor=admin_actor, version=v, data={"effective_to": "2023-01-01"}, expected_version=1
        )
    assert exc.value.fields["effective_to"]["code"] == "before_start"
    v.refresh_from_db()
    assert (v.open_to_all, v.effective_to, v.version) == (False, None, 1)
    assert not AuditEvent.objects.filter(action="publicservices.version.update").exists()


def test_edit_refusals_keep_their_codes_and_messages(admin_actor):
    v = _bring(admin_actor, "published")
    with pytest.raises(VersionChanged) as exc:
        services.service_version_update(
            actor=admin_actor, version=v, data={"how_to_apply": "x"}, expected_version=1
        )
    assert exc.value.as_dict() == {
        "code": "version_changed",
        "message": "Someone else changed this version; reload and try again.",
        "fields": {},
    }
    with pytest.raises(Conflict) as exc:
        services.service_version_update(
            actor=admin_actor, version=v, data={"how_to_apply": "x"}, expected_version=v.version
        )
    assert exc.value.as_dict() == {
        "code": "conflict",
        "message": "Only a draft can be edited; draft a new version to change it.",
        "fields": {},
    }
    v.refresh_from_db()
    assert (v.how_to_apply, v.version) == ("", 2)
    assert not AuditEvent.objects.filter(action="publicservices.version.update").exists()


def test_a_draft_copies_the_latest_or_a_chosen_version_of_its_own_service(admin_actor):
    service = services.service_create(actor=admin_actor, city="440300", kind="other", name="x")
    elsewhere = ServiceVersion.objects.exclude(service=service).first()  # seeded
    assert elsewhere is not None
    with pytest.raises(NotFound):
        services.service_version_create(actor=admin_actor, service=service, copy_from=elsewhere)
    assert not service.versions.exists()
    v1 = _draft(admin_actor, service, how_to_apply="first", documents=["身份证"])
    v2 = services.service_version_create(
        actor=admin_actor, service=service, data={"how_to_apply": "second"}
    )
    assert (v2.number, v2.documents, v2.source) == (2, ["身份证"], "s")
    v3 = services.service_version_create(actor=admin_actor, service=service, copy_from=v1)
    assert (v3.number, v3.how_to_apply, v3.status) == (3, "first", "draft")
    v4 = services.service_version_create(actor=admin_actor, service=service)
    assert (v4.number, v4.how_to_apply) == (4, "first")  # the latest is v3


def test_only_editors_of_the_city_edit_a_draft(admin_actor, make_user):
    v = _bring(admin_actor, "draft")
    beijing = actor_for(make_user("org_admin", org="bj"))
    with pytest.raises(PermissionDenied):
        services.service_version_create(actor=beijing, service=v.service)
    with pytest.raises(PermissionDenied):
        services.service_version_update(
            actor=beijing, version=v, data={"how_to_apply": "x"}, expected_version=1
        )
    v.refresh_from_db()
    assert (v.how_to_apply, v.version, v.service.versions.count()) == ("", 1, 1)


def test_editing_rights_follow_settlement_policies(make_user, sz_admin):
    sz = actor_for(sz_admin)
    services.service_create(actor=sz, city="440300", kind="other", name="深圳的")
    with pytest.raises(PermissionDenied):
        services.service_create(actor=sz, city="110100", kind="other", name="北京的")
    officer = actor_for(make_user("programme_officer", org="sz"))
    with pytest.raises(PermissionDenied):
        services.service_create(actor=officer, city="440300", kind="other", name="y")
