"""Services: validation of histories (every bad field named), the batch entry point for
importers, declared facts, policy versions (lifecycle, one version in force, frozen once
published), city groups, access, and audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.settlement import selectors, services
from gongyou.settlement.enums import VERSION_TRANSITIONS, VersionStatus
from gongyou.settlement.models import (
    ContributionSpell,
    PolicyVersion,
)

pytestmark = pytest.mark.django_db


def fields(exc_info):
    return {k: v["code"] for k, v in exc_info.value.fields.items()}


# -- histories ---------------------------------------------------------------------------------


def test_contribution_add_validates_every_field(worker_factory, admin_actor):
    w = worker_factory()
    future = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    with pytest.raises(ValidationFailed) as exc:
        services.contribution_add(
            actor=admin_actor,
            worker=w,
            data={"city": "440305", "kind": "pension2", "start": future, "end": "bad"},
        )
    assert fields(exc) == {
        "city": "not_a_city",
        "kind": "invalid_choice",
        "start": "in_future",
        "end": "invalid_date",
    }
    assert "440300" in exc.value.fields["city"]["message"]  # names the city to use
    with pytest.raises(ValidationFailed) as exc:
        services.contribution_add(
            actor=admin_actor,
            worker=w,
            data={"city": "999999", "start": "2020-02-01", "end": "2020-01-01", "kind": "medical"},
        )
    assert fields(exc) == {"city": "unknown_region", "end": "before_start"}
    with pytest.raises(ValidationFailed) as exc:
        services.contribution_add(
            actor=admin_actor, worker=w, data={"city": "440000", "kind": "medical"}
        )
    assert fields(exc) == {"city": "not_a_city", "start": "required"}


def test_contribution_add_update_delete_are_audited_on_the_worker(worker_factory, admin_actor):
    w = worker_factory()
    spell = services.contribution_add(
        actor=admin_actor,
        worker=w,
        data={"city": "440300", "kind": "pension", "start": "2020-01-01"},
    )
    assert spell.end is None and spell.recorded_by == admin_actor.user
    with pytest.raises(ValidationFailed) as exc:
        services.contribution_add(
            actor=admin_actor,
            worker=w,
            data={"city": "440300", "kind": "pension", "start": "2020-01-01"},
        )
    assert fields(exc) == {"start": "duplicate"}
    updated = services.contribution_update(
        actor=admin_actor, worker=w, spell_id=spell.pk, data={"end": "2021-06-30"}, version=1
    )
    assert updated.end == dt.date(2021, 6, 30) and updated.version == 2
    with pytest.raises(Conflict):
        services.contribution_update(
            actor=admin_actor, worker=w, spell_id=spell.pk, data={"end": ""}, version=1
        )
    services.contribution_delete(actor=admin_actor, worker=w, spell_id=spell.pk)
    assert not ContributionSpell.objects.exists()
    actions = list(
        AuditEvent.objects.filter(worker_id=w.pk, action__startswith="settlement").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "settlement.contribution.add",
        "settlement.contribution.delete",
        "settlement.contribution.update",
    ]


def test_residence_validation_and_update(worker_factory, admin_actor):
    w = worker_factory()
    with pytest.raises(ValidationFailed) as exc:
        services.residence_add(
            actor=admin_actor,
            worker=w,
            data={
                "city": "440300",
                "start": "2020-01-01",
                "tenure": "castle",
                "permit_held": "maybe",
            },
        )
    assert fields(exc) == {"tenure": "invalid_choice", "permit_held": "invalid_type"}
    spell = services.residence_add(
        actor=admin_actor,
        worker=w,
        data={"city": "440300", "start": "2020-01-01", "tenure": "rented", "permit_held": "yes"},
    )
    assert spell.permit_held is True
    spell = services.residence_update(
        actor=admin_actor,
        worker=w,
        spell_id=spell.pk,
        data={"tenure": "owned"},
        version=spell.version,
    )
    assert spell.tenure == "owned"
    other = worker_factory()
    with pytest.raises(NotFound):
        services.residence_delete(actor=admin_actor, worker=other, spell_id=spell.pk)


def test_batch_is_all_or_nothing_and_names_the_row(worker_factory, admin_actor):
    w = worker_factory()
    with pytest.raises(ValidationFailed) as exc:
        services.history_save_batch(
            actor=admin_actor,
            worker=w,
            contributions=[
                {"city": "440300", "kind": "pension", "start": "2020-01-01"},
                {"city": "440300", "kind": "pension", "start": "2021-01-01", "end": "2020-01-01"},
            ],
            residences=[{"city": "440305", "start": "2020-01-01", "tenure": "rented"}],
        )
    assert fields(exc) == {"contributions.2.end": "before_start", "residences.1.city": "not_a_city"}
    assert not ContributionSpell.objects.exists()


def test_batch_skips_rows_already_recorded_and_can_replace(worker_factory, admin_actor):
    w = worker_factory()
    rows = [
        {"city": "440300", "kind": "pension", "start": "2020-01-01", "end": "2020-12-31"},
        {"city": "440300", "kind": "medical", "start": "2020-01-01", "end": "2020-12-31"},
    ]
    first = services.history_save_batch(actor=admin_actor, worker=w, contributions=rows)
    assert first == {"contributions": 2, "residences": 0, "skipped": 0, "deleted": 0}
    again = services.history_save_batch(actor=admin_actor, worker=w, contributions=rows + rows[:1])
    assert again["contributions"] == 0 and again["skipped"] == 3
    replaced = services.history_save_batch(
        actor=admin_actor, worker=w, contributions=rows[:1], replace=True
    )
    assert replaced == {"contributions": 1, "residences": 0, "skipped": 0, "deleted": 2}
    assert ContributionSpell.objects.count() == 1
    assert AuditEvent.objects.filter(worker_id=w.pk, action="settlement.history.batch").count() == 3


def test_history_needs_edit_rights_and_scope(worker_factory, make_user):
    w = worker_factory(current_region="440305", hukou_region="440305")
    analyst = actor_for(make_user("analyst", org="sz"))
    with pytest.raises(PermissionDenied):
        services.contribution_add(actor=analyst, worker=w, data={})
    beijing = actor_for(make_user("case_handler", org="bj"))
    with pytest.raises(NotFound):
        services.history_save_batch(actor=beijing, worker=w, contributions=[])
    with pytest.raises(NotFound):
        selectors.worker_for_settlement(actor=beijing, worker_id=w.pk)


def test_history_summary_counts_overlaps_once(worker_factory, admin_actor):
    w = worker_factory()
    services.history_save_batch(
        actor=admin_actor,
        worker=w,
        contributions=[
            {"city": "440300", "kind": "pension", "start": "2020-01-01", "end": "2020-12-31"},
            {"city": "440300", "kind": "medical", "start": "2020-06-01", "end": "2021-05-31"},
        ],
        residences=[
            {
                "city": "440300",
                "start": "2020-01-01",
                "end": "2020-06-30",
                "tenure": "rented",
                "permit_held": True,
            },
            {"city": "440300", "start": "2020-04-01", "end": "2020-12-31", "tenure": "rented"},
        ],
    )
    (row,) = selectors.history_summary(worker=w, day=dt.date(2025, 1, 1))
    assert row == {
        "city": "440300",
        "city_name": "深圳市",
        "insurance_months": 17,
        "residence_months": 12,
        "permit_months": 6,
    }


def test_declared_fact_set_and_clear(worker_factory, admin_actor):
    w = worker_factory()
    fact = services.declared_fact_set(
        actor=admin_actor, worker=w, key="honours", value="2", evidence="证书"
    )
    assert fact is not None and fact.value == 2
    with pytest.raises(ValidationFailed) as exc:
        services.declared_fact_set(actor=admin_actor, worker=w, key="nonsense", value="x")
    assert fields(exc) == {"key": "invalid_choice", "value": "invalid"}
    assert services.declared_fact_set(actor=admin_actor, worker=w, key="honours", value="") is None
    assert not selectors.declared_facts(worker=w).exists()
    assert AuditEvent.objects.filter(worker_id=w.pk, action="settlement.fact").count() == 2


# -- policies ----------------------------------------------------------------------------------


VALID = {
    "route": "conditions",
    "effective_from": "2026-01-01",
    "conditions": [{"type": "social_insurance", "min_months": 12, "trust": "V", "source": "x"}],
    "source": "test document",
    "trust": "V",
}


@pytest.fixture
def zhuhai(admin_actor):
    return services.policy_create(
        actor=admin_actor, city="440400", purpose="hukou", name="珠海落户"
    )


def test_policy_create_validates_and_refuses_a_second_policy(admin_actor, zhuhai):
    with pytest.raises(ValidationFailed) as exc:
        services.policy_create(actor=admin_actor, city="440402", purpose="x", name="")
    assert fields(exc) == {"city": "not_a_city", "purpose": "invalid_choice", "name": "required"}
    with pytest.raises(Conflict):
        services.policy_create(actor=admin_actor, city="440400", purpose="hukou", name="again")


def test_version_clean_names_each_bad_field(admin_actor, zhuhai):
    with pytest.raises(ValidationFailed) as exc:
        services.version_create(
            actor=admin_actor,
            policy=zhuhai,
            data={
                "route": "lottery",
                "effective_from": "2026-02-01",
                "effective_to": "2026-01-01",
                "conditions": [{"type": "social_insurance", "min_months": -3}, {"type": "vibes"}],
                "points_items": [
                    {
                        "type": "age",
                        "key": "a",
                        "bands": [{"max_age": 40, "points": 1}, {"max_age": 30, "points": 2}],
                    }
                ],
                "pass_mark": "abc",
                "last_cutoff": "90",
                "group": 999,
                "trust": "X",
            },
        )
    assert fields(exc) == {
        "route": "invalid_choice",
        "effective_to": "before_start",
        "conditions": "invalid",
        "points_items": "invalid",
        "pass_mark": "invalid",
        "cutoff_year": "required",
        "group": "not_found",
        "source": "required",
        "trust": "invalid_choice",
    }
    message = exc.value.fields["conditions"]["message"]
    assert "conditions.1 → min_months" in message and "conditions.2" in message


def test_points_items_only_on_a_points_route(admin_actor, zhuhai):
    with pytest.raises(ValidationFailed) as exc:
        services.version_create(
            actor=admin_actor,
            policy=zhuhai,
            data={
                **VALID,
                "points_items": [{"type": "education", "key": "e", "values": {"bachelor": 1}}],
            },
        )
    assert fields(exc) == {"points_items": "not_points"}


def test_version_lifecycle_every_edge(admin_actor, zhuhai):
    allowed = {(s, t) for s, ts in VERSION_TRANSITIONS.items() for t in ts}
    for source in VersionStatus.values:
        for target in VersionStatus.values:
            v = services.version_create(
                actor=admin_actor, policy=zhuhai, data={**VALID, "effective_from": "2030-01-01"}
            )
            # Bring it to `source` by allowed edges.
            if source == VersionStatus.PUBLISHED:
                v = services.version_transition(
                    actor=admin_actor, version=v, to_status="published", expected_version=v.version
                )
            elif source == VersionStatus.WITHDRAWN:
                v = services.version_transition(
                    actor=admin_actor, version=v, to_status="withdrawn", expected_version=v.version
                )
            if (source, target) in allowed:
                done = services.version_transition(
                    actor=admin_actor,
                    version=v,
                    to_status=target,
                    reason="test",
                    expected_version=v.version,
                )
                assert done.status == target
            else:
                with pytest.raises(Conflict):
                    services.version_transition(
                        actor=admin_actor,
                        version=v,
                        to_status=target,
                        reason="test",
                        expected_version=v.version,
                    )
            # Clean up so the next published version does not overlap.
            for p in PolicyVersion.objects.filter(policy=zhuhai, status="published"):
                services.version_transition(
                    actor=admin_actor,
                    version=p,
                    to_status="withdrawn",
                    reason="reset",
                    expected_version=p.version,
                )


def test_publishing_closes_the_open_version_and_keeps_one_in_force(admin_actor, zhuhai):
    v1 = services.version_create(
        actor=admin_actor, policy=zhuhai, data={**VALID, "effective_from": "2024-01-01"}
    )
    v1 = services.version_transition(
        actor=admin_actor, version=v1, to_status="published", expected_version=v1.version
    )
    v2 = services.version_create(
        actor=admin_actor, policy=zhuhai, data={"effective_from": "2025-07-01"}
    )
    assert v2.number == 2 and v2.conditions == v1.conditions  # a copy of the latest
    services.version_transition(
        actor=admin_actor, version=v2, to_status="published", expected_version=v2.version
    )
    v1.refresh_from_db()
    assert v1.effective_to == dt.date(2025, 6, 30)
    assert selectors.version_in_force(city="440400", day=dt.date(2025, 6, 30)).pk == v1.pk
    assert selectors.version_in_force(city="440400", day=dt.date(2025, 7, 1)).pk == v2.pk
    assert selectors.version_in_force(city="440400", day=dt.date(2023, 12, 31)) is None
    # A version starting before an already closed one overlaps: refused, naming the dates.
    v3 = services.version_create(
        actor=admin_actor,
        policy=zhuhai,
        data={"effective_from": "2024-06-01", "effective_to": "2024-12-31"},
    )
    with pytest.raises(Conflict) as exc:
        services.version_transition(
            actor=admin_actor, version=v3, to_status="published", expected_version=v3.version
        )
    assert exc.value.code == "version_overlap"
    assert AuditEvent.objects.filter(
        action="settlement.version.close", entity_id=str(v1.pk)
    ).exists()


def test_published_versions_are_frozen_and_withdrawal_needs_a_reason(admin_actor, zhuhai):
    v = services.version_create(actor=admin_actor, policy=zhuhai, data=VALID)
    v = services.version_update(
        actor=admin_actor, version=v, data={"summary": "edited"}, expected_version=1
    )
    assert v.summary == "edited" and v.version == 2
    with pytest.raises(Conflict):
        services.version_update(
            actor=admin_actor, version=v, data={"summary": "late"}, expected_version=1
        )
    v = services.version_transition(
        actor=admin_actor, version=v, to_status="published", expected_version=2
    )
    with pytest.raises(Conflict):
        services.version_update(
            actor=admin_actor, version=v, data={"summary": "x"}, expected_version=v.version
        )
    with pytest.raises(ValidationFailed) as exc:
        services.version_transition(
            actor=admin_actor, version=v, to_status="withdrawn", expected_version=v.version
        )
    assert fields(exc) == {"reason": "required"}


def test_drafting_and_editing_a_version_are_audited(admin, admin_actor, zhuhai):
    v = services.version_create(actor=admin_actor, policy=zhuhai, data=VALID)
    assert (v.number, v.status, v.version, v.created_by_id) == (1, "draft", 1, admin.pk)
    created = AuditEvent.objects.get(action="settlement.version.create")
    assert (created.entity_type, created.entity_id) == ("settlement.policyversion", str(v.pk))
    assert created.before is None
    assert set(created.after) == {*services.policy.VERSION_FIELDS, "status", "number"}
    assert (created.after["status"], created.after["number"]) == ("draft", 1)
    assert (created.after["source"], created.after["group"]) == ("test document", None)
    assert (created.actor_id, created.region_code, created.summary) == (
        admin.pk,
        "440400",
        "珠海落户 v1",
    )
    v = services.version_update(
        actor=admin_actor,
        version=v,
        data={"summary": "edited", "effective_to": "2026-12-31"},
        expected_version=1,
    )
    assert (v.summary, v.effective_to, v.version) == ("edited", dt.date(2026, 12, 31), 2)
    updated = AuditEvent.objects.get(action="settlement.version.update")
    assert updated.entity_id == str(v.pk)
    assert updated.before == {**created.after}
    assert updated.after == {
        **created.after,
        "summary": "edited",
        "effective_to": "2026-12-31",
    }
    assert (updated.actor_id, updated.region_code, updated.summary) == (
        admin.pk,
        "440400",
        "珠海落户 v1",
    )


def test_an_edit_is_checked_with_the_stored_fields(admin_actor, zhuhai):
    v = services.version_create(actor=admin_actor, policy=zhuhai, data=VALID)
    with pytest.raises(ValidationFailed) as exc:
        services.version_update(
            actor=admin_actor,
            version=v,
            data={"trust": "X", "effective_to": "2025-01-01"},
            expected_version=1,
        )
    assert fields(exc) == {"trust": "invalid_choice", "effective_to": "before_start"}
    v.refresh_from_db()
    assert (v.trust, v.effective_to, v.version) == ("V", None, 1)
    assert not AuditEvent.objects.filter(action="settlement.version.update").exists()


def test_edit_refusals_keep_their_codes_and_messages(admin_actor, zhuhai):
    v = services.version_create(actor=admin_actor, policy=zhuhai, data=VALID)
    v = services.version_transition(
        actor=admin_actor, version=v, to_status="published", expected_version=1
    )
    # A stale edit is reported as such even when the version is no longer a draft.
    with pytest.raises(Conflict) as exc:
        services.version_update(
            actor=admin_actor, version=v, data={"summary": "x"}, expected_version=1
        )
    assert exc.value.as_dict() == {
        "code": "version_changed",
        "message": "Someone else changed this version; reload and try again.",
        "fields": {},
    }
    with pytest.raises(Conflict) as exc:
        services.version_update(
            actor=admin_actor, version=v, data={"summary": "x"}, expected_version=v.version
        )
    assert exc.value.as_dict() == {
        "code": "conflict",
        "message": "Only a draft can be edited; draft a new version to change the rules.",
        "fields": {},
    }
    v.refresh_from_db()
    assert (v.summary, v.version) == ("", 2)
    assert not AuditEvent.objects.filter(action="settlement.version.update").exists()


def test_a_draft_copies_the_latest_or_a_chosen_version_of_its_own_policy(admin_actor, zhuhai):
    elsewhere = PolicyVersion.objects.exclude(policy=zhuhai).first()  # seeded
    assert elsewhere is not None
    with pytest.raises(NotFound):
        services.version_create(actor=admin_actor, policy=zhuhai, copy_from=elsewhere)
    assert not zhuhai.versions.exists()
    v1 = services.version_create(
        actor=admin_actor, policy=zhuhai, data={**VALID, "summary": "first"}
    )
    v2 = services.version_create(actor=admin_actor, policy=zhuhai, data={"summary": "second"})
    assert (v2.number, v2.source, v2.conditions) == (2, v1.source, v1.conditions)
    v3 = services.version_create(actor=admin_actor, policy=zhuhai, copy_from=v1)
    assert (v3.number, v3.summary, v3.status) == (3, "first", "draft")
    v4 = services.version_create(actor=admin_actor, policy=zhuhai)
    assert (v4.number, v4.summary) == (4, "first")  # the latest is v3


def test_only_editors_of_the_city_edit_a_draft(admin_actor, sz_admin, zhuhai):
    v = services.version_create(actor=admin_actor, policy=zhuhai, data=VALID)
    with pytest.raises(PermissionDenied):
        services.version_update(
            actor=actor_for(sz_admin), version=v, data={"summary": "x"}, expected_version=1
        )
    v.refresh_from_db()
    assert (v.summary, v.version) == ("", 1)


def test_org_admins_edit_policies_of_their_own_region_only(make_user, zhuhai, admin_actor):
    gd_admin = actor_for(make_user("org_admin", org="gd"))
    sz_admin = actor_for(make_user("org_admin", org="sz"))
    national_admin = actor_for(make_user("org_admin", org="national"))
    services.version_create(actor=gd_admin, policy=zhuhai, data=VALID)
    for actor in (sz_admin, national_admin, actor_for(make_user("case_handler", org="gd"))):
        with pytest.raises(PermissionDenied):
            services.version_create(actor=actor, policy=zhuhai, data=VALID)
    with pytest.raises(PermissionDenied):
        services.policy_create(actor=sz_admin, city="440100", purpose="services", name="x")
    assert services.policy_create(
        actor=sz_admin, city="440300", purpose="services", name="深圳服务"
    ).pk


def test_city_groups(admin_actor, sz_admin):
    with pytest.raises(ValidationFailed) as exc:
        services.city_group_save(
            actor=admin_actor, data={"name": "", "cities": "440300 440305", "trust": "Q"}
        )
    assert fields(exc) == {
        "name": "required",
        "cities.2": "not_a_city",
        "source": "required",
        "trust": "invalid_choice",
    }
    group = services.city_group_save(
        actor=admin_actor,
        data={"name": "大湾区", "cities": "440100 440300 440300", "source": "pilot", "trust": "S"},
    )
    assert sorted(group.cities.values_list("code", flat=True)) == ["440100", "440300"]
    with pytest.raises(ValidationFailed) as exc:
        services.city_group_save(
            actor=admin_actor,
            data={"name": "solo", "cities": ["440100"], "source": "s", "trust": "S"},
        )
    assert fields(exc) == {"cities": "too_few"}
    with pytest.raises(PermissionDenied):
        services.city_group_save(actor=actor_for(sz_admin), data={})
    with pytest.raises(Conflict):
        services.city_group_save(
            actor=admin_actor,
            data={"name": "大湾区", "cities": "440100 440600", "source": "s", "trust": "S"},
            group=group,
            expected_version=9,
        )


def test_group_accumulation_end_to_end(worker_factory, admin_actor, zhuhai):
    group = services.city_group_save(
        actor=admin_actor,
        data={"name": "珠江口", "cities": "440400 440300", "source": "test", "trust": "U"},
    )
    v = services.version_create(
        actor=admin_actor,
        policy=zhuhai,
        data={
            **VALID,
            "effective_from": "2024-01-01",
            "group": group.pk,
            "conditions": [{"type": "social_insurance", "min_months": 24, "in_group": True}],
        },
    )
    services.version_transition(
        actor=admin_actor, version=v, to_status="published", expected_version=v.version
    )
    w = worker_factory()
    services.history_save_batch(
        actor=admin_actor,
        worker=w,
        contributions=[
            {"city": "440300", "kind": "pension", "start": "2022-01-01", "end": "2022-12-31"},
            {"city": "440400", "kind": "pension", "start": "2023-01-01", "end": "2023-12-31"},
        ],
    )
    a = selectors.eligibility_for_city(
        actor=admin_actor, worker_id=w.pk, city="440400", day=dt.date(2025, 1, 1)
    )
    assert a["outcome"] == "eligible" and a["policy"]["group"] == "珠江口"


def test_impact_preview_and_batch_run(worker_factory, admin_actor, zhuhai):
    from gongyou.settlement.bulk import version_impact
    from gongyou.settlement.models import EligibilityResult

    workers = [worker_factory(current_region="440402") for _ in range(3)]
    for i, w in enumerate(workers):
        services.history_save_batch(
            actor=admin_actor,
            worker=w,
            contributions=[
                {
                    "city": "440400",
                    "kind": "pension",
                    "start": f"{2024 - i * 2}-01-01",
                    "end": "2024-12-31",
                }
            ],
        )
    day = dt.date(2025, 1, 1)
    v1 = services.version_create(
        actor=admin_actor,
        policy=zhuhai,
        data={
            **VALID,
            "effective_from": "2024-01-01",
            "conditions": [{"type": "social_insurance", "min_months": 24}],
        },
    )
    impact = version_impact(actor=admin_actor, version=v1, day=day)
    assert impact["compared_with"] is None and impact["workers"] == 3
    assert impact["newly_eligible"] == 2 and impact["eligible_after"] == 2
    services.version_transition(
        actor=admin_actor, version=v1, to_status="published", expected_version=v1.version
    )
    v2 = services.version_create(
        actor=admin_actor,
        policy=zhuhai,
        data={
            "effective_from": "2025-01-01",
            "conditions": [{"type": "social_insurance", "min_months": 48}],
        },
    )
    impact = version_impact(actor=admin_actor, version=v2, day=day)
    assert impact["compared_with"] == v1.pk
    assert (impact["eligible_before"], impact["eligible_after"], impact["newly_ineligible"]) == (
        2,
        1,
        1,
    )

    run = services.eligibility_batch_run(day=day)
    assert run["workers"] == 3 and run["evaluated"] == 3
    assert EligibilityResult.objects.filter(batch=run["batch"], outcome="eligible").count() == 2
    (row,) = selectors.results_by_city()
    assert row["city"] == "440400" and row["share_eligible"] == round(2 / 3, 4)
    for _ in range(3):
        services.eligibility_batch_run(day=day)
    assert EligibilityResult.objects.values("batch").distinct().count() == 3  # older batches pruned
