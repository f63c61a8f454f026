"""The world of tests/test_authz_matrix.py: one object of every kind in the callers' scope
(the Shenzhen federation, region 440300, mostly at the Nanshan station) and one outside it
(Beijing), made through the real services (the factories of each app) once per module.

`build_world()` returns {kind: {"in": id, "out": id | None}}; "in" may also be a dict
{principal: id} for objects that belong to one caller (notifications, tokens). Kinds that are
national reference data (settlement policies, the service catalogue, eligibility rules, regions)
have no "out" object: nobody is outside their scope.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from gongyou.accounts.enums import OrganisationKind, Role

ANONYMOUS = "anonymous"
WORKER = "worker"  # a worker signed in to the portal (/me/) with a linked account
STAFF = tuple(r.value for r in Role)
PRINCIPALS = (ANONYMOUS, WORKER, *STAFF)

PDF = b"%PDF-1.7\n" + b"x" * 200
PASSWORD = "authz-matrix-password-1"


class _Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.size = len(data)


def _both(inside: Any, outside: Any) -> dict[str, Any]:
    return {"in": inside.pk, "out": outside.pk if outside is not None else None}


def build_world() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from gongyou.accounts.policies import actor_for
    from gongyou.accounts.services import api_token_create, organisation_create, user_create
    from gongyou.cases.models import Claimant, Deadline, Notification, Project
    from gongyou.cases.services import attachment_add
    from gongyou.cases.tests.factories import make_case
    from gongyou.core import crypto
    from gongyou.employers.tests.factories import make_credit_code, make_employer
    from gongyou.exports.services import export_create
    from gongyou.jobs import services as jobs
    from gongyou.jobs.models import FollowUp
    from gongyou.jobs.tests.factories import make_seeker, make_vacancy
    from gongyou.portal.models import CorrectionRequest, PortalAccount, SelfRegistration
    from gongyou.portal.services import _link
    from gongyou.publicservices import services as ps
    from gongyou.publicservices.models import PublicService, ServiceVersion
    from gongyou.recognition.models import Objection
    from gongyou.recognition.services import evidence_add
    from gongyou.recognition.tests.factories import (
        force_status,
        give_quota,
        make_nomination,
        make_round,
    )
    from gongyou.settlement import services as settlement
    from gongyou.settlement.models import CityGroup, PolicyVersion
    from gongyou.stations.services import visit_log
    from gongyou.testing import make_national_id, make_phone, make_station, make_worker
    from gongyou.training import services as training
    from gongyou.training.eligibility import seed_rules
    from gongyou.training.models import EligibilityRule
    from gongyou.training.tests.factories import (
        make_campaign,
        make_course,
        make_programme,
        make_provider,
    )
    from gongyou.workers.identity import mask_phone
    from gongyou.workers.services import worker_merge

    def org(name: str, kind: str, region: str | None, parent: Any) -> Any:
        return organisation_create(
            actor=None, name=name, kind=kind, region_code=region, parent=parent
        )

    national = org("全国总工会", OrganisationKind.NATIONAL_FEDERATION, None, None)
    gd = org("广东省总工会", OrganisationKind.PROVINCIAL_FEDERATION, "440000", national)
    sz = org("深圳市总工会", OrganisationKind.CITY_FEDERATION, "440300", gd)
    bj = org("北京市总工会", OrganisationKind.PROVINCIAL_FEDERATION, "110000", national)

    def user(name: str, roles: list[str], organisation: Any, station: Any = None) -> Any:
        return user_create(
            actor=None,
            username=name,
            password=None,
            organisation=organisation,
            roles=roles,
            station=station,
        )

    root = user("authz_root", [Role.SYSTEM_ADMIN], national)
    root.set_password(PASSWORD)
    root.save(update_fields=["password"])
    admin = actor_for(root)
    bj_user = user("authz_bj", [Role.ORG_ADMIN], bj)
    bj_actor = actor_for(bj_user)

    home = make_station(actor=admin, name="南山驿站", organisation=sz.pk)
    away = make_station(
        actor=admin,
        name="朝阳驿站",
        region="110105",
        organisation=bj.pk,
        latitude=39.92,
        longitude=116.44,
    )
    users = {
        role: user(
            f"authz_{role}", [role], sz, station=home if role == Role.STATION_STAFF else None
        )
        for role in STAFF
    }
    world: dict[str, Any] = {"_users": {r: u.pk for r, u in users.items()}}
    world["user"] = _both(users[Role.STATION_STAFF], bj_user)
    world["organisation"] = _both(sz, bj)

    # Accounts: one bearer token per caller (a token of a Beijing user is out of scope).
    tokens: dict[str, str] = {}
    token_ids: dict[str, int] = {}
    for role, u in users.items():
        token, key = api_token_create(actor=actor_for(u), user=u, name="authz")
        tokens[role] = key
        token_ids[role] = token.pk
    bj_token, _key = api_token_create(actor=bj_actor, user=bj_user, name="authz")
    world["_tokens"] = tokens
    world["token"] = {"in": token_ids, "out": bj_token.pk}

    # Workers, stations, visits.
    mine = make_worker(actor=admin, name="张伟", current_region="440305", hukou_region="510104")
    theirs = make_worker(
        actor=admin,
        name="王北京",
        current_region="110105",
        hukou_region="110105",
        national_id=make_national_id(region="110105"),
    )
    world["worker"] = _both(mine, theirs)
    world["station"] = _both(home, away)
    v_home, _ = visit_log(actor=admin, station_id=home.pk, service="rest", worker_id=mine.pk)
    v_away, _ = visit_log(actor=admin, station_id=away.pk, service="rest")
    world["visit"] = _both(v_home, v_away)

    # Two pairs of duplicates: one merged (the merge can be undone), one still to merge.
    def pair(region: str, name: str) -> tuple[Any, Any]:
        number = make_national_id(region=region)
        keep = make_worker(actor=admin, name=name, current_region=region, hukou_region=region)
        twin = make_worker(
            actor=admin, name=name, current_region=region, hukou_region=region, national_id=number
        )
        return keep, twin

    keep_in, twin_in = pair("440305", "李双")
    keep_out, twin_out = pair("110105", "赵双")
    world["merge"] = _both(
        worker_merge(actor=admin, keep=keep_in, merge=twin_in, reason="同一人"),
        worker_merge(actor=admin, keep=keep_out, merge=twin_out, reason="同一人"),
    )
    dup_in = pair("440305", "周双")
    dup_out = pair("110105", "吴双")
    world["duplicate_first"] = _both(dup_in[0], dup_out[0])
    world["duplicate_second"] = _both(dup_in[1], dup_out[1])

    # Employers and cases (claimants, deadlines, evidence, notifications).
    e_home = make_employer(actor=admin, region="440305")
    e_away = make_employer(
        actor=admin, region="110105", credit_code=make_credit_code(prefix="91110105")
    )
    world["employer"] = _both(e_home, e_away)
    c_home = make_case(
        actor=admin,
        workers=[mine],
        employers=[e_home],
        intake_station_id=home.pk,
        infringement_known_on=timezone.localdate().isoformat(),
        project={"name": "南山科技园工地", "region": "440305"},
    )
    c_away = make_case(
        actor=admin,
        workers=[theirs],
        employers=[e_away],
        region="110105",
        infringement_known_on=timezone.localdate().isoformat(),
        project={"name": "朝阳工地", "region": "110105"},
    )
    world["case"] = _both(c_home, c_away)
    world["project"] = _both(
        Project.objects.get(region_id="440305"), Project.objects.get(region_id="110105")
    )
    world["claimant"] = _both(
        Claimant.objects.filter(case=c_home).first(), Claimant.objects.filter(case=c_away).first()
    )
    world["deadline"] = _both(
        Deadline.objects.filter(case=c_home).first(), Deadline.objects.filter(case=c_away).first()
    )
    world["attachment"] = _both(
        attachment_add(
            actor=admin, case=c_home, upload=SimpleUploadedFile("a.pdf", PDF), kind="pay_record"
        ),
        attachment_add(
            actor=admin, case=c_away, upload=SimpleUploadedFile("b.pdf", PDF), kind="pay_record"
        ),
    )
    notes = {
        role: Notification.objects.create(
            recipient=u, case=c_home, kind="assigned", text="x", key=f"authz-{role}"
        ).pk
        for role, u in users.items()
    }
    bj_note = Notification.objects.create(
        recipient=bj_user, case=c_away, kind="assigned", text="x", key="authz-bj"
    )
    world["notification"] = {"in": notes, "out": bj_note.pk}

    # Exports (pending: the task runs on commit, which never comes inside the test transaction).
    world["export"] = _both(
        export_create(actor=actor_for(users[Role.ORG_ADMIN]), kind="workers", format="csv"),
        export_create(actor=bj_actor, kind="workers", format="csv"),
    )

    # Imports (queued: the task runs on commit, which never comes inside the test transaction).
    from gongyou.imports.services import import_create

    head = "站点编码,站点名称,站点类型,所在地区,地址,服务项目\n".encode()
    world["import"] = _both(
        *(
            import_create(actor=a, kind="stations", upload=_Upload(head, "stations.csv"))
            for a in (actor_for(users[Role.ORG_ADMIN]), bj_actor)
        )
    )

    # Training.
    provider = make_provider(parent=sz)
    provider_bj = make_provider(name="北京朝阳技工培训中心", region="110105", parent=bj)
    world["campaign"] = _both(
        make_campaign(actor=admin, lead=sz), make_campaign(actor=admin, lead=bj)
    )
    course_in = make_course(actor=admin, provider=provider)
    course_out = make_course(actor=admin, provider=provider_bj, region="110105", address="北京")
    world["course"] = _both(course_in, course_out)
    enrol_in = training.enrolment_apply(
        actor=admin, course=course_in, worker_id=mine.pk, enrol=True
    )
    enrol_out = training.enrolment_apply(
        actor=admin, course=course_out, worker_id=theirs.pk, enrol=True
    )
    world["enrolment"] = _both(enrol_in, enrol_out)
    # A second enrolment per course, completed, carries the subsidy claim (the first stays
    # enrolled, so its transitions are open).
    world["claim"] = _both(
        *(
            _finished_claim(
                admin,
                training.enrolment_apply(
                    actor=admin, course=course, worker_id=worker.pk, enrol=True
                ),
            )
            for course, worker in ((course_in, keep_in), (course_out, keep_out))
        )
    )
    if not EligibilityRule.objects.exists():
        seed_rules(EligibilityRule)
    world["rule"] = {"in": EligibilityRule.objects.order_by("pk").first().pk, "out": None}
    programme_in = make_programme(actor=admin)
    programme_out = make_programme(
        actor=admin,
        institution=training.institution_create(
            actor=admin,
            data={"name": "北京开放大学", "kind": "open_university", "region": "110000"},
        ),
    )
    world["programme"] = _both(programme_in, programme_out)
    world["study"] = _both(
        training.study_apply(actor=admin, programme=programme_in, worker_id=mine.pk),
        training.study_apply(actor=admin, programme=programme_out, worker_id=theirs.pk),
    )

    # Settlement: histories of the two workers; policies, versions and groups are national.
    for worker, city in ((mine, "440300"), (theirs, "110100")):
        settlement.history_save_batch(
            actor=admin,
            worker=worker,
            contributions=[{"city": city, "kind": "pension", "start": "2020-01-01"}],
            residences=[{"city": city, "start": "2020-01-01", "tenure": "rented"}],
        )
    world["contribution"] = _both(
        mine.contribution_spells.first(), theirs.contribution_spells.first()
    )
    world["residence"] = _both(mine.residence_spells.first(), theirs.residence_spells.first())
    version = PolicyVersion.objects.order_by("pk").first()
    world["policy"] = {"in": version.policy_id, "out": None}
    world["policy_version"] = {"in": version.pk, "out": None}
    group = CityGroup.objects.order_by("pk").first() or settlement.city_group_save(
        actor=admin,
        data={"name": "珠三角", "cities": ["440300", "440100"], "source": "测试", "trust": "V"},
    )
    world["city_group"] = {"in": group.pk, "out": None}

    # Jobs.
    vac_in = make_vacancy(actor=admin, employer=e_home)
    vac_out = make_vacancy(
        actor=admin, employer=e_away, region="110105", address="北京市朝阳区工地"
    )
    world["vacancy"] = _both(vac_in, vac_out)
    make_seeker(actor=admin, worker=mine)
    make_seeker(actor=admin, worker=theirs)
    world["job_referral"] = _both(
        jobs.referral_create(actor=admin, vacancy=vac_in, worker=mine),
        jobs.referral_create(actor=admin, vacancy=vac_out, worker=theirs),
    )
    start = timezone.localdate() - dt.timedelta(days=100)
    placements = [
        jobs.placement_record(
            actor=admin,
            worker=w,
            data={"employer_id": e.pk, "start_date": start.isoformat(), "monthly_wage": 8000},
        )
        for w, e in ((mine, e_home), (theirs, e_away))
    ]
    jobs.followups_create_due()
    world["followup"] = _both(*(FollowUp.objects.get(placement=p, month=3) for p in placements))
    fair_day = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    fairs = [
        jobs.fair_create(
            actor=admin,
            data={
                "name": f"春风行动招聘会{region}",
                "region": region,
                "starts_on": fair_day,
                "ends_on": fair_day,
                "venue": "会展中心",
            },
        )
        for region in ("440305", "110105")
    ]
    world["fair"] = _both(*fairs)
    world["fair_registration"] = _both(
        jobs.fair_register_worker(actor=admin, fair=fairs[0], worker=mine),
        jobs.fair_register_worker(actor=admin, fair=fairs[1], worker=theirs),
    )

    # Recognition: a Guangdong round with a Shenzhen nomination; a Beijing round and nomination.
    gd_officer = user("authz_gd_officer", [Role.PROGRAMME_OFFICER], gd)
    round_in = make_round(actor=actor_for(gd_officer))
    give_quota(actor=actor_for(gd_officer), award_round=round_in, organisation=sz)
    bj_officer = user("authz_bj_officer", [Role.PROGRAMME_OFFICER], bj)
    round_out = make_round(
        actor=actor_for(bj_officer),
        award_type="provincial_may_day_medal",
        title="2026年北京市五一劳动奖章",
    )
    bj_child = org("北京市朝阳区总工会", OrganisationKind.DISTRICT_FEDERATION, "110105", bj)
    give_quota(actor=actor_for(bj_officer), award_round=round_out, organisation=bj_child)
    world["round"] = _both(round_in, round_out)
    sz_officer = actor_for(users[Role.PROGRAMME_OFFICER])
    nom_in = make_nomination(actor=sz_officer, award_round=round_in, worker=mine)
    bj_nominator = user("authz_bj_nominator", [Role.PROGRAMME_OFFICER], bj_child)
    nom_out = make_nomination(actor=actor_for(bj_nominator), award_round=round_out, region="110105")
    world["nomination"] = _both(nom_in, nom_out)
    world["evidence"] = _both(
        evidence_add(
            actor=sz_officer,
            nomination=nom_in,
            upload=SimpleUploadedFile("e.pdf", PDF),
            kind="achievement",
        ),
        evidence_add(
            actor=actor_for(bj_nominator),
            nomination=nom_out,
            upload=SimpleUploadedFile("e.pdf", PDF),
            kind="achievement",
        ),
    )
    objections = []
    for nomination in (nom_in, nom_out):
        force_status(nomination, "in_notice")
        objections.append(
            Objection.objects.create(
                nomination=nomination, received_on=dt.date(2026, 4, 11), content="有异议"
            )
        )
    world["objection"] = _both(*objections)

    # Public services: the seeded catalogue is national; families and referrals are scoped.
    service = PublicService.objects.filter(city_id="440300").order_by("pk").first()
    world["public_service"] = {"in": service.pk, "out": None}
    world["service_version"] = {
        "in": ServiceVersion.objects.filter(service=service).order_by("pk").first().pk,
        "out": None,
    }
    members = [
        ps.family_member_add(
            actor=admin,
            worker=w,
            data={
                "relation": "child",
                "name": "张小明",
                "birth_date": "2018-03-01",
                "school_stage": "primary",
            },
        )
        for w in (mine, theirs)
    ]
    world["family_member"] = _both(*members)
    referrals = []
    svc_in = None
    for w, city, member in ((mine, "440300", members[0]), (theirs, "110100", members[1])):
        svc = (
            PublicService.objects.filter(city_id=city, versions__status="published")
            .order_by("pk")
            .first()
        )
        svc_in = svc_in or svc
        referrals.append(
            ps.referral_create(actor=admin, worker=w, service_id=svc.pk, family_member_id=member.pk)
            if svc
            else None
        )
    world["referable_service"] = {"in": svc_in.pk, "out": None}
    world["service_referral"] = {
        "in": referrals[0].pk,
        "out": referrals[1].pk if referrals[1] else None,
    }

    # Public activities (a Nanshan and a Chaoyang one, open, one worker registered to each).
    if hasattr(ps, "activity_create"):
        activities, regs = [], []
        starts = timezone.localtime().replace(microsecond=0, second=0) + dt.timedelta(days=3)
        for region, w in (("440305", mine), ("110105", theirs)):
            activity = ps.activity_create(
                actor=admin,
                data={
                    "kind": "cultural_event",
                    "title": "中秋文艺晚会",
                    "region": region,
                    "venue": "工人文化宫",
                    "address": "文化宫路1号",
                    "starts_at": starts,
                    "ends_at": starts + dt.timedelta(hours=3),
                    "places": 5,
                    "registration_opens_on": timezone.localdate() - dt.timedelta(days=1),
                    "registration_closes_on": timezone.localdate() + dt.timedelta(days=1),
                },
            )
            activity = ps.activity_transition(
                actor=admin, activity=activity, to_status="open", expected_version=activity.version
            )
            activities.append(activity)
            regs.append(ps.registration_create(actor=admin, activity=activity, worker_id=w.pk))
        world["activity"] = _both(*activities)
        world["activity_registration"] = _both(*regs)

    # The portal: the in-scope worker's own account; registrations and corrections to decide.
    def account(worker: Any) -> Any:
        phone = crypto.decrypt(worker.phone_enc, context="phone")
        acc = PortalAccount.objects.create(
            phone_enc=worker.phone_enc,
            phone_hash=crypto.blind_index(phone, context="phone"),
            phone_masked=mask_phone(phone),
        )
        return _link(account=acc, worker=worker, by=None, how="test")

    my_account = account(mine)
    account(theirs)
    world["_portal_account"] = my_account.pk
    world["correction"] = _both(
        CorrectionRequest.objects.create(worker=mine, field="name", requested_value="张维"),
        CorrectionRequest.objects.create(worker=theirs, field="name", requested_value="王京"),
    )
    registrations = []
    for region in ("440305", "110105"):
        phone = make_phone()
        acc = PortalAccount.objects.create(
            phone_enc=crypto.encrypt(phone, context="phone"),
            phone_hash=crypto.blind_index(phone, context="phone"),
            phone_masked=mask_phone(phone),
        )
        number = make_national_id(region=region)
        registrations.append(
            SelfRegistration.objects.create(
                account=acc,
                kind="new",
                name="孙新",
                national_id_enc=crypto.encrypt(number, context="national_id"),
                national_id_hash=crypto.blind_index(number, context="national_id"),
                national_id_masked=number[:6] + "*" * 12,
                current_region_id=region,
                hukou_region_id=region,
            )
        )
    world["registration"] = _both(*registrations)

    # Privacy: a legal hold on each worker.
    from django.apps import apps

    if apps.is_installed("gongyou.privacy"):
        hold = apps.get_model("privacy", "LegalHold")
        world["legal_hold"] = _both(
            hold.objects.create(worker=mine, reason="诉讼", placed_by=root),
            hold.objects.create(worker=theirs, reason="诉讼", placed_by=root),
        )

    # Operations: one finished background task.
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="gongyou.cases.tasks.cases_daily",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="builtins.ValueError",
        traceback="",
    )
    world["task"] = {"in": str(task.pk), "out": None}
    return world


def _finished_claim(actor: Any, enrolment: Any) -> Any:
    """A subsidy claim for an enrolment that completed its course."""
    from gongyou.training.models import Enrolment, SubsidyClaim

    Enrolment.objects.filter(pk=enrolment.pk).update(status="completed")
    return SubsidyClaim.objects.create(
        enrolment=enrolment,
        course=enrolment.course,
        worker=enrolment.worker,
        provider_id=enrolment.course.provider_id,
        campaign_id=enrolment.course.campaign_id,
        amount=enrolment.course.subsidy_per_trainee,
    )


@pytest.fixture(scope="module", name="world")
def world_fixture(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    from django.test.utils import override_settings

    base = tmp_path_factory.mktemp("authz")
    dirs = override_settings(
        IMPORTS_DIR=base / "imports",
        EXPORTS_DIR=base / "exports",
        CASE_ATTACHMENTS_DIR=base / "attachments",
        RECOGNITION_EVIDENCE_DIR=base / "evidence",
    )
    dirs.enable()
    with django_db_blocker.unblock():
        from gongyou.testing import reference_data_ensure

        outer = transaction.atomic()
        outer.__enter__()
        try:
            reference_data_ensure()
            built = build_world()
            built["_sessions"] = _sessions(built)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            dirs.disable()
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    dirs.disable()


def _sessions(world: dict[str, Any]) -> dict[str, str]:
    """A session cookie per principal: staff signed in, the worker signed in to the portal."""
    from gongyou.accounts.models import User
    from gongyou.portal.auth import SESSION_ACCOUNT, SESSION_VERSION
    from gongyou.portal.models import PortalAccount

    cookies = {}
    for role, pk in world["_users"].items():
        c = Client()
        c.force_login(User.objects.get(pk=pk))
        cookies[role] = c.cookies[settings.SESSION_COOKIE_NAME].value
    account = PortalAccount.objects.get(pk=world["_portal_account"])
    c = Client()
    session = c.session
    session[SESSION_ACCOUNT] = account.pk
    session[SESSION_VERSION] = account.session_version
    session.save()
    cookies[WORKER] = session.session_key
    return cookies
