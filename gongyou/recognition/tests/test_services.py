"""Rounds, quotas, nominations, objections and evidence through the real services."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.recognition import services
from gongyou.recognition.enums import NominationStatus, ObjectionStatus
from gongyou.recognition.models import NominationEvidence
from gongyou.recognition.selectors import award_winner_shares, round_quota_usage
from gongyou.recognition.tests.factories import (
    AFTER_NOTICE,
    BEFORE_CLOSE,
    NOTICE_END,
    NOTICE_START,
    force_status,
    give_quota,
    make_nomination,
    make_round,
)
from gongyou.testing import make_national_id

pytestmark = pytest.mark.django_db
S = NominationStatus
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n"


def _move(actor, nomination, *targets, today=None):
    for target in targets:
        nomination = services.nomination_transition(
            actor=actor,
            nomination=nomination,
            to_status=target,
            reason="ok",
            version=nomination.version,
            today=today or {S.IN_NOTICE: NOTICE_START, S.AWARDED: AFTER_NOTICE}.get(target),
        )
    return nomination


def test_round_level_must_match_the_organiser(organiser, nominator):
    with pytest.raises(ValidationFailed) as err:
        make_round(actor=actor_for(nominator))  # a city federation cannot give a provincial medal
    assert err.value.fields["award_type"]["code"] == "wrong_level"
    with pytest.raises(ValidationFailed) as err:
        make_round(
            actor=actor_for(organiser),
            year="x",
            title="",
            notice_starts_on=dt.date(2026, 3, 1),
            notice_ends_on=dt.date(2026, 2, 1),
        )
    assert set(err.value.fields) >= {"year", "title", "notice_ends_on", "notice_starts_on"}
    award_round = make_round(
        actor=actor_for(nominator), award_type="city_honour", title="深圳市劳模"
    )
    assert award_round.region_id == "440300"
    assert AuditEvent.objects.filter(action="recognition.round_create").count() == 1


def test_quota_is_enforced_and_a_withdrawal_frees_a_place(award_round, organiser, nominator, orgs):
    actor = actor_for(nominator)
    give_quota(
        actor=actor_for(organiser), award_round=award_round, organisation=orgs["sz"], quota=2
    )
    first = make_nomination(actor=actor, award_round=award_round, nominee_name="甲")
    make_nomination(actor=actor, award_round=award_round, nominee_name="乙")
    with pytest.raises(services.QuotaExceeded):
        make_nomination(actor=actor, award_round=award_round, nominee_name="丙")
    _move(actor, first, S.WITHDRAWN)
    make_nomination(actor=actor, award_round=award_round, nominee_name="丙")
    usage = {u.organisation_id: u for u in round_quota_usage(award_round=award_round)}
    assert (usage[orgs["sz"].pk].quota, usage[orgs["sz"].pk].used) == (2, 2)


def test_an_organisation_without_quota_cannot_nominate(award_round, make_user):
    gd_officer = actor_for(make_user("programme_officer", org="gd"))
    with pytest.raises(services.QuotaExceeded):
        make_nomination(actor=gd_officer, award_round=award_round)


def test_quota_organisation_must_be_in_the_round_area(award_round, organiser, orgs):
    with pytest.raises(ValidationFailed) as err:
        give_quota(actor=actor_for(organiser), award_round=award_round, organisation=orgs["bj"])
    assert err.value.fields["organisation_id"]["code"] == "out_of_area"


def test_migrant_status_comes_from_the_registry(award_round, nominator, worker):
    actor = actor_for(nominator)
    registered = make_nomination(actor=actor, award_round=award_round, worker=worker)
    assert registered.is_migrant_worker and registered.nominee_name == "王强"
    assert registered.region_id == worker.current_region_id
    outsider = make_nomination(actor=actor, award_round=award_round, nominee_name="陈工程师")
    assert not outsider.is_migrant_worker
    # The "migrant" flag cannot be set by hand: an unknown input is ignored.
    sneaky = make_nomination(
        actor=actor, award_round=award_round, nominee_name="赵六", is_migrant_worker=True
    )
    assert not sneaky.is_migrant_worker
    assert AuditEvent.objects.filter(
        action="recognition.nomination_create", worker_id=worker.pk
    ).exists()


def test_an_id_number_found_in_the_registry_links_the_worker(
    award_round, nominator, worker_factory
):
    number = make_national_id(region="440305")
    worker = worker_factory(national_id=number, name="周敏")
    nomination = make_nomination(
        actor=actor_for(nominator), award_round=award_round, national_id=number, nominee_name=""
    )
    assert nomination.worker_id == worker.pk and nomination.is_migrant_worker


def test_nomination_fields_are_all_checked(award_round, nominator):
    with pytest.raises(ValidationFailed) as err:
        services.nomination_create(
            actor=actor_for(nominator),
            award_round=award_round,
            data={"region": "110101", "worker_id": "abc"},
            today=BEFORE_CLOSE,
        )
    assert set(err.value.fields) >= {"worker_id", "nominee_unit", "justification"}
    with pytest.raises(ValidationFailed) as err:
        make_nomination(actor=actor_for(nominator), award_round=award_round, region="110101")
    assert err.value.fields["region"]["code"] == "out_of_scope"


def test_one_worker_once_per_round_and_not_after_closing(award_round, nominator, worker):
    actor = actor_for(nominator)
    make_nomination(actor=actor, award_round=award_round, worker=worker)
    with pytest.raises(Conflict):
        make_nomination(actor=actor, award_round=award_round, worker=worker)
    with pytest.raises(Conflict):
        services.nomination_create(
            actor=actor,
            award_round=award_round,
            data={
                "nominee_name": "晚",
                "region": "440305",
                "nominee_unit": "x",
                "justification": "y",
            },
            today=dt.date(2026, 4, 1),
        )


def test_notice_and_award_dates_are_enforced(award_round, organiser, nominator):
    org = actor_for(organiser)
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    nomination = _move(org, nomination, S.UNDER_REVIEW, S.RECOMMENDED)
    with pytest.raises(Conflict):
        _move(org, nomination, S.IN_NOTICE, today=NOTICE_START - dt.timedelta(days=1))
    nomination = _move(org, nomination, S.IN_NOTICE)
    with pytest.raises(Conflict):
        _move(org, nomination, S.AWARDED, today=NOTICE_END)
    nomination = _move(org, nomination, S.AWARDED)
    assert nomination.status == S.AWARDED and nomination.decided_at is not None


def test_objections_block_the_award_until_handled(award_round, organiser, nominator, worker):
    org = actor_for(organiser)
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round, worker=worker)
    nomination = _move(org, nomination, S.UNDER_REVIEW, S.RECOMMENDED, S.IN_NOTICE)
    with pytest.raises(ValidationFailed) as err:
        services.objection_record(
            actor=org,
            nomination=nomination,
            content="",
            received_on=NOTICE_END + dt.timedelta(1),
            today=AFTER_NOTICE,
        )
    assert set(err.value.fields) == {"content", "received_on"}
    with pytest.raises(PermissionDenied):  # the nominator does not record objections
        services.objection_record(
            actor=actor_for(nominator), nomination=nomination, content="x", today=NOTICE_START
        )
    objection = services.objection_record(
        actor=org,
        nomination=nomination,
        content="该同志曾有安全事故。",
        received_on=NOTICE_START,
        today=NOTICE_START,
    )
    with pytest.raises(Conflict):
        _move(org, nomination, S.AWARDED)
    services.objection_handle(
        actor=org,
        nomination=nomination,
        objection_id=objection.pk,
        decision="dismissed",
        note="经核实，事故责任不在本人。",
    )
    with pytest.raises(Conflict):  # handled once only
        services.objection_handle(
            actor=org, nomination=nomination, objection_id=objection.pk, decision="upheld", note="x"
        )
    nomination = _move(org, nomination, S.AWARDED)
    assert nomination.status == S.AWARDED
    assert AuditEvent.objects.filter(
        action="recognition.objection_handle", worker_id=worker.pk
    ).exists()


def test_an_upheld_objection_prevents_the_award(award_round, organiser, nominator):
    org = actor_for(organiser)
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    nomination = _move(org, nomination, S.UNDER_REVIEW, S.RECOMMENDED, S.IN_NOTICE)
    objection = services.objection_record(
        actor=org, nomination=nomination, content="材料造假", today=NOTICE_START
    )
    services.objection_handle(
        actor=org,
        nomination=nomination,
        objection_id=objection.pk,
        decision=ObjectionStatus.UPHELD,
        note="核实属实",
    )
    with pytest.raises(Conflict):
        _move(org, nomination, S.AWARDED)
    assert _move(org, nomination, S.REJECTED).status == S.REJECTED


def test_objections_only_during_the_notice(award_round, organiser, nominator):
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    with pytest.raises(Conflict):
        services.objection_record(
            actor=actor_for(organiser), nomination=nomination, content="x", today=NOTICE_START
        )


def test_nominator_edits_only_before_review(award_round, organiser, nominator):
    actor = actor_for(nominator)
    nomination = make_nomination(actor=actor, award_round=award_round)
    nomination = services.nomination_update(
        actor=actor, nomination=nomination, data={"justification": "新的事迹"}, version=1
    )
    assert nomination.justification == "新的事迹" and nomination.version == 2
    nomination = _move(actor_for(organiser), nomination, S.UNDER_REVIEW)
    with pytest.raises(Conflict):
        services.nomination_update(
            actor=actor,
            nomination=nomination,
            data={"justification": "再改"},
            version=nomination.version,
        )
    with pytest.raises(PermissionDenied):
        services.nomination_update(
            actor=actor_for(organiser), nomination=nomination, data={}, version=nomination.version
        )


def test_round_concludes_only_when_every_nomination_has_an_outcome(
    award_round, organiser, nominator
):
    org = actor_for(organiser)
    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    with pytest.raises(Conflict):
        services.round_conclude(actor=org, award_round=award_round, version=award_round.version)
    _move(org, nomination, S.REJECTED)
    with pytest.raises(PermissionDenied):
        services.round_conclude(
            actor=actor_for(nominator), award_round=award_round, version=award_round.version
        )
    award_round = services.round_conclude(
        actor=org, award_round=award_round, version=award_round.version
    )
    assert award_round.concluded_at is not None
    with pytest.raises(Conflict):
        services.round_update(
            actor=org, award_round=award_round, data={"title": "x"}, version=award_round.version
        )


def test_winner_share_counts_registry_workers(award_round, organiser, nominator, worker, make_user):
    org = actor_for(organiser)
    actor = actor_for(nominator)
    migrant = make_nomination(actor=actor, award_round=award_round, worker=worker)
    other = make_nomination(actor=actor, award_round=award_round, nominee_name="陈")
    third = make_nomination(actor=actor, award_round=award_round, nominee_name="林")
    for n in (migrant, other):
        _move(org, n, S.UNDER_REVIEW, S.RECOMMENDED, S.IN_NOTICE, S.AWARDED)
    _move(org, third, S.REJECTED)
    (row,) = award_winner_shares(actor=org)
    assert (row.awarded, row.migrant, row.share) == (2, 1, 0.5)
    assert award_winner_shares(actor=actor_for(make_user("analyst", org="bj"))) == []


def test_evidence_is_checked_stored_outside_the_web_root_and_downloads_audited(
    award_round, nominator, organiser, worker
):
    actor = actor_for(nominator)
    nomination = make_nomination(actor=actor, award_round=award_round, worker=worker)
    with pytest.raises(ValidationFailed) as err:
        services.evidence_add(
            actor=actor,
            nomination=nomination,
            upload=SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"),
            kind="achievement",
        )
    assert err.value.fields["file"]["code"] == "content_mismatch"
    with pytest.raises(ValidationFailed) as err:
        services.evidence_add(
            actor=actor, nomination=nomination, upload=SimpleUploadedFile("a.exe", b"MZ"), kind="x"
        )
    assert set(err.value.fields) == {"file", "kind"}
    evidence = services.evidence_add(
        actor=actor,
        nomination=nomination,
        upload=SimpleUploadedFile("事迹材料.pdf", PDF),
        kind="achievement",
    )
    path = services.evidence_dir() / evidence.storage_name
    assert path.read_bytes() == PDF
    assert Path(settings.BASE_DIR) not in path.parents  # outside the code and its static files
    _opened, handle = services.evidence_open(
        actor=actor_for(organiser), nomination=nomination, evidence_id=evidence.pk
    )
    with handle:
        assert handle.read() == PDF
    assert (
        AuditEvent.objects.filter(action="recognition.evidence_view", worker_id=worker.pk).count()
        == 1
    )
    with pytest.raises(PermissionDenied):  # the organiser reviews; the nominator supplies files
        services.evidence_add(
            actor=actor_for(organiser),
            nomination=nomination,
            upload=SimpleUploadedFile("b.pdf", PDF),
            kind="other",
        )
    assert NominationEvidence.objects.count() == 1


def test_evidence_is_refused_on_a_closed_nomination(award_round, nominator):
    actor = actor_for(nominator)
    nomination = force_status(make_nomination(actor=actor, award_round=award_round), S.WITHDRAWN)
    with pytest.raises(Conflict):
        services.evidence_add(
            actor=actor,
            nomination=nomination,
            upload=SimpleUploadedFile("a.pdf", PDF),
            kind="other",
        )
    assert not services.evidence_dir().exists()  # no file was written


def test_scope_rounds_and_nominations(award_round, nominator, make_user, orgs):
    from gongyou.recognition.selectors import nomination_list, round_list

    nomination = make_nomination(actor=actor_for(nominator), award_round=award_round)
    beijing = actor_for(make_user("org_admin", org="bj"))
    national = actor_for(make_user("analyst", org="national"))
    assert list(round_list(actor=beijing)) == []
    assert list(nomination_list(actor=beijing)) == []
    assert list(round_list(actor=actor_for(nominator))) == [award_round]
    assert list(nomination_list(actor=national)) == [nomination]
    national_round = make_round(
        actor=actor_for(make_user("org_admin", org="national")),
        award_type="national_may_day_medal",
        title="2026年全国五一劳动奖章",
    )
    assert national_round in round_list(actor=beijing)
    with pytest.raises(NotFound):
        services.nomination_transition(
            actor=beijing, nomination=nomination, to_status=S.UNDER_REVIEW, reason="x", version=1
        )
