import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from gongyou.accounts.enums import OrganisationKind
from gongyou.accounts.policies import actor_for
from gongyou.accounts.services import organisation_create
from gongyou.cases import services
from gongyou.cases.models import Case, CaseEvent, Deadline, Notification, Project
from gongyou.cases.policies import case_is_visible
from gongyou.cases.tests.factories import force_status, make_case
from gongyou.core.errors import PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.employers.models import Employer
from gongyou.employers.tests.factories import make_employer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def deadlines(case, **filters):
    return {d.kind: d for d in Deadline.objects.filter(case=case, **filters)}


def test_intake_writes_case_claimants_respondents_timeline_and_audit(
    case_factory, worker, employer, admin_actor
):
    case = case_factory(infringement_known_on=TODAY - dt.timedelta(days=10))
    assert case.reference == f"RP-440305-{TODAY.year}-00001"
    assert case_factory().reference.endswith("-00002")
    assert case.status == "received" and case.version == 1
    assert case.claimants.get().worker == worker
    assert case.respondents.get().employer == employer
    assert CaseEvent.objects.get(case=case).kind == "intake"
    # The worker's timeline (workers.selectors.worker_timeline) reads these rows.
    assert AuditEvent.objects.filter(action="case.intake", worker_id=worker.pk).count() == 2
    limitation = deadlines(case)["arbitration_limitation"]
    assert limitation.start_date == TODAY - dt.timedelta(days=10)


def test_intake_names_every_bad_field(admin_actor, worker_factory):
    with pytest.raises(ValidationFailed) as exc:
        services.case_intake(
            actor=admin_actor,
            data={
                "type": "work_injury",
                "platform_issue": "order_allocation",
                "channel": "fax",
                "summary": "",
                "region": "999999",
                "intake_station_id": 99999,
                "infringement_known_on": "2999-01-01",
                "claimants": [{"worker_id": 99999, "amount_claimed": "-1"}],
                "respondents": [{"employer_id": 99999, "role": "boss"}],
                "project": {"name": "", "region": "110105x"},
            },
        )
    assert set(exc.value.fields) == {
        "platform_issue",
        "channel",
        "summary",
        "region",
        "intake_station_id",
        "incident_on",
        "infringement_known_on",
        "claimants.0.worker_id",
        "claimants.0.amount_claimed",
        "respondents.0.employer_id",
        "respondents.0.role",
        "project.name",
        "project.region",
    }
    with pytest.raises(ValidationFailed) as exc:
        services.case_intake(actor=admin_actor, data={"type": "platform_work"})
    assert {"platform_issue", "summary", "region", "claimants"} <= set(exc.value.fields)


def test_intake_is_refused_to_roles_without_it(make_user, worker):
    with pytest.raises(PermissionDenied):
        make_case(actor=actor_for(make_user("analyst")), workers=[worker])


def test_station_staff_take_in_at_their_station(make_user, home, worker):
    desk = actor_for(make_user("station_staff", station=home))
    case = make_case(actor=desk, workers=[worker], region="")
    assert case.intake_station == home and case.region_id == home.region_id
    assert case.channel == "front_desk"


def test_work_injury_starts_both_application_deadlines(case_factory, admin_actor):
    accident = TODAY - dt.timedelta(days=3)
    case = case_factory(type="work_injury", incident_on=accident.isoformat())
    started = deadlines(case)
    assert set(started) == {"injury_application_employer", "injury_application_worker"}
    case = force_status(case, "accepted")
    services.deadline_meet(
        actor=admin_actor,
        case=case,
        deadline_id=started["injury_application_worker"].pk,
        met_on=TODAY,
        version=case.version,
    )
    after = deadlines(case)
    assert after["injury_application_worker"].status == "met"
    assert after["injury_application_employer"].status == "stopped"
    assert after["injury_decision"].status == "open"
    assert after["injury_decision"].start_date == TODAY


def go(case, to, actor, **kw):
    case = Case.objects.get(pk=case.pk)
    return services.case_transition(
        actor=actor, case=case, to_status=to, reason="r", version=case.version, **kw
    )


def test_deadlines_follow_the_stages(case_factory, admin_actor):
    start = dt.date(2025, 9, 26)
    case = case_factory(infringement_known_on="2025-09-01")
    go(case, "accepted", admin_actor)
    go(case, "mediation", admin_actor, today=start)
    mediation = deadlines(case)["mediation"]
    assert (mediation.start_date, mediation.due_date) == (start, dt.date(2025, 10, 11))
    go(case, "referred_labour_inspection", admin_actor, today=start)
    now = deadlines(case)
    assert now["mediation"].status == "stopped"
    assert now["inspection_acceptance"].due_date == dt.date(2025, 10, 10)  # 5 working days
    assert now["arbitration_limitation"].status == "open"
    go(case, "mediation", admin_actor, today=start)
    go(case, "referred_arbitration", admin_actor, today=start)
    now = deadlines(case, status="open")
    assert set(now) == {"arbitration_acceptance"}  # limitation met by applying
    assert Deadline.objects.get(case=case, kind="arbitration_limitation").status == "met"
    case = Case.objects.get(pk=case.pk)
    services.deadline_meet(
        actor=admin_actor,
        case=case,
        deadline_id=now["arbitration_acceptance"].pk,
        met_on="2025-09-30",
        version=case.version,
    )
    award = deadlines(case, status="open")["arbitration_award"]
    assert (award.start_date, award.due_date) == (dt.date(2025, 9, 30), dt.date(2025, 11, 14))
    go(case, "resolved", admin_actor, resolution="arbitration_award")
    assert not Deadline.objects.filter(case=case, status="open").exists()


def test_extend_only_where_the_law_allows(case_factory, admin_actor):
    case = case_factory()
    go(case, "accepted", admin_actor)
    go(case, "referred_arbitration", admin_actor, today=dt.date(2025, 3, 3))
    acceptance = deadlines(case)["arbitration_acceptance"]

    def extend(deadline, days, **kw):
        case = Case.objects.get(pk=deadline.case_id)
        return services.deadline_extend(
            actor=admin_actor,
            case=case,
            deadline_id=deadline.pk,
            days=days,
            reason=kw.get("reason", "complex"),
            version=case.version,
        )

    with pytest.raises(ValidationFailed) as exc:
        extend(acceptance, 5)
    assert exc.value.fields["deadline_id"]["code"] == "not_extendable"
    case = Case.objects.get(pk=case.pk)
    services.deadline_meet(
        actor=admin_actor,
        case=case,
        deadline_id=acceptance.pk,
        met_on="2025-03-03",
        version=case.version,
    )
    award = deadlines(case, status="open")["arbitration_award"]
    with pytest.raises(ValidationFailed) as exc:
        extend(award, 16, reason="")
    assert set(exc.value.fields) == {"reason"}
    with pytest.raises(ValidationFailed) as exc:
        extend(award, 16)
    assert exc.value.fields["days"]["code"] == "out_of_range"
    extended = extend(award, 15)
    assert (extended.extended_by, extended.due_date) == (15, dt.date(2025, 5, 6))
    with pytest.raises(ValidationFailed) as exc:
        extend(award, 1)
    assert exc.value.fields["deadline_id"]["code"] == "already_extended"


def test_missing_calendar_is_recorded_and_cleared_when_an_admin_enters_the_year(
    case_factory, admin_actor
):
    case = case_factory(infringement_known_on="2026-11-20")
    limitation = deadlines(case)["arbitration_limitation"]
    assert limitation.due_date == dt.date(2027, 11, 22)  # Sat 20 Nov 2027 guessed as a weekend
    assert limitation.calendar_missing
    services.calendar_day_set(actor=admin_actor, date="2027-11-22", is_working_day=False, name="x")
    limitation.refresh_from_db()
    assert (limitation.due_date, limitation.calendar_missing) == (dt.date(2027, 11, 23), False)
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_day_set(actor=admin_actor, date="2027-13-01", is_working_day="yes")
    assert set(exc.value.fields) == {"date", "is_working_day"}


def test_assign_transfer_and_refer(case_factory, admin_actor, make_user, orgs, worker):
    case = case_factory()
    handler = make_user("case_handler", org="sz")
    outsider = make_user("case_handler", org="bj")
    with pytest.raises(ValidationFailed) as exc:
        services.case_assign(actor=admin_actor, case=case, user_id=outsider.pk, version=1)
    assert exc.value.fields["user_id"]["code"] == "unknown_handler"
    case = services.case_assign(actor=admin_actor, case=case, user_id=handler.pk, version=1)
    assert case.assigned_to == handler and case.version == 2
    assert Notification.objects.get(recipient=handler).kind == "assigned"
    nanshan = organisation_create(
        actor=None,
        name="南山区总工会",
        kind=OrganisationKind.DISTRICT_FEDERATION,
        region_code="440305",
        parent=orgs["sz"],
    )
    case = services.case_transfer(
        actor=admin_actor, case=case, organisation_id=nanshan.pk, reason="属地", version=2
    )
    assert case.organisation == nanshan and case.assigned_to is None
    inspection = organisation_create(
        actor=None,
        name="深圳市劳动保障监察支队",
        kind=OrganisationKind.PARTNER_DEPARTMENT,
        department_type="human_resources",
        region_code="440300",
        parent=orgs["sz"],
    )
    partner = make_user("case_handler", org="sz")
    partner.organisation = inspection
    partner.save()
    partner_admin = make_user("org_admin", org="sz")
    partner_admin.organisation = inspection
    partner_admin.save()
    assert not case_is_visible(actor_for(partner), case)  # same city, not referred: not theirs
    with pytest.raises(ValidationFailed):  # a union organisation is not a partner department
        services.case_refer(
            actor=admin_actor, case=case, organisation_id=nanshan.pk, reason="x", version=3
        )
    case = services.case_refer(
        actor=admin_actor, case=case, organisation_id=inspection.pk, reason="欠薪", version=3
    )
    partner = type(partner).objects.get(pk=partner.pk)
    assert case_is_visible(actor_for(partner), case)
    assert Notification.objects.get(recipient=partner_admin).kind == "referred"
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["intake", "assignment", "transfer", "referral"]
    assert AuditEvent.objects.filter(action="case.refer", worker_id=worker.pk).exists()


def test_claimants_outcomes_and_notes(case_factory, admin_actor, worker_factory, worker):
    case = case_factory()
    other = worker_factory()
    claimant = services.claimant_add(
        actor=admin_actor, case=case, worker_id=other.pk, amount_claimed="8000", version=1
    )
    with pytest.raises(ValidationFailed) as exc:
        services.claimant_add(
            actor=admin_actor, case=case, worker_id=other.pk, amount_claimed="x", version=2
        )
    assert set(exc.value.fields) == {"worker_id", "amount_claimed"}
    with pytest.raises(ValidationFailed) as exc:
        services.claimant_record_outcome(
            actor=admin_actor,
            case=case,
            claimant_id=claimant.pk,
            data={"outcome": "won", "satisfaction": 6, "amount_recovered": "-3", "name": "x"},
            version=2,
        )
    assert set(exc.value.fields) == {"outcome", "satisfaction", "amount_recovered", "name"}
    done = services.claimant_record_outcome(
        actor=admin_actor,
        case=case,
        claimant_id=claimant.pk,
        data={"outcome": "recovered_full", "amount_recovered": "8000", "satisfaction": 5},
        version=2,
    )
    assert done.satisfaction == 5 and done.followed_up_at is not None
    assert AuditEvent.objects.filter(action="case.outcome", worker_id=other.pk).exists()
    services.case_note(actor=admin_actor, case=case, text="老板电话 13800000000")
    assert CaseEvent.objects.filter(case=case, kind="note").get().reason.startswith("老板")
    assert not AuditEvent.objects.filter(action="case.note", after__icontains="1380").exists()
    assert Case.objects.get(pk=case.pk).version == 3  # notes bump nothing
    # a score sent as text (forms, CSV) is read as a number
    again = services.claimant_record_outcome(
        actor=admin_actor,
        case=case,
        claimant_id=claimant.pk,
        data={"satisfaction": " 4 "},
        version=3,
    )
    assert again.satisfaction == 4


# --- early warning ---------------------------------------------------------------------------


def test_repeated_wage_arrears_flag_the_employer(case_factory, employer, admin_actor):
    case_factory()
    employer.refresh_from_db()
    assert not employer.arrears_flagged
    case_factory(type="labour_contract")  # another type does not count
    employer.refresh_from_db()
    assert not employer.arrears_flagged
    case = case_factory()
    employer.refresh_from_db()
    assert employer.arrears_flagged and case.reference in employer.arrears_flag_reason
    assert AuditEvent.objects.filter(action="employer.flag", entity_id=str(employer.pk)).exists()


def test_collective_case_of_60_flags_employer_project_and_contractor(
    admin_actor, worker_factory, home
):
    crew = [worker_factory() for _ in range(60)]
    general = make_employer(actor=admin_actor, name="某建工集团")
    sub = make_employer(actor=admin_actor, name="某劳务分包公司")
    case = make_case(
        actor=admin_actor,
        workers=crew,
        intake_station_id=home.pk,
        respondents=[
            {"employer_id": sub.pk, "role": "subcontractor"},
            {"employer_id": general.pk, "role": "general_contractor"},
        ],
        project={"name": "南山某住宅项目", "address": "南山区", "region": "440305"},
    )
    assert case.is_collective and case.claimants.count() == 60
    project = Project.objects.get()
    assert project.general_contractor == general and list(project.subcontractors.all()) == [sub]
    assert project.arrears_flagged
    assert Employer.objects.filter(pk__in=[general.pk, sub.pk], arrears_flagged=True).count() == 2
    # One audit row per claimant, so every worker's timeline shows the case.
    assert AuditEvent.objects.filter(action="case.intake", entity_id=str(case.pk)).count() == 60
    go(case, "accepted", admin_actor)
    assert AuditEvent.objects.filter(action="case.transition", entity_id=str(case.pk)).count() == 60


@override_settings(CASES_COLLECTIVE_CLAIMANTS=2)
def test_adding_claimants_can_make_a_case_collective(
    case_factory, employer, admin_actor, worker_factory
):
    case = case_factory()
    assert not case.is_collective
    services.claimant_add(
        actor=admin_actor, case=case, worker_id=worker_factory().pk, amount_claimed=1, version=1
    )
    assert Case.objects.get(pk=case.pk).is_collective
    employer.refresh_from_db()
    assert employer.arrears_flagged


# --- the daily task --------------------------------------------------------------------------


def test_daily_run_reminds_handlers_and_escalates_overdue(
    case_factory, make_user, sz_admin, admin_actor
):
    handler = make_user("case_handler", org="sz")
    case = case_factory(actor=actor_for(sz_admin))
    case = services.case_assign(actor=admin_actor, case=case, user_id=handler.pk, version=1)
    go(case, "accepted", admin_actor)
    go(case, "mediation", admin_actor, today=dt.date(2025, 3, 3))  # due Tue 18 Mar 2025
    Notification.objects.all().delete()

    counts = services.cases_daily_run(today=dt.date(2025, 3, 15))
    assert counts["near"] == 1
    assert Notification.objects.get().recipient == handler
    assert services.cases_daily_run(today=dt.date(2025, 3, 15))["near"] == 0  # idempotent
    services.cases_daily_run(today=dt.date(2025, 3, 10))  # 8 days left: not near
    assert Notification.objects.count() == 1

    counts = services.cases_daily_run(today=dt.date(2025, 3, 19))
    assert (counts["overdue"], counts["escalated"]) == (1, 1)
    assert Notification.objects.get(kind="escalation").recipient == sz_admin
    assert services.cases_daily_run(today=dt.date(2025, 3, 20))["escalated"] == 0


def test_the_command_enqueues_the_task(case_factory, admin_actor, sz_admin, capsys):
    case = case_factory(actor=actor_for(sz_admin))
    go(case, "accepted", admin_actor)
    go(case, "mediation", admin_actor, today=dt.date(2025, 3, 3))
    call_command("cases_daily", "--date", "2025-03-20")
    assert "enqueued cases_daily" in capsys.readouterr().out
    # ImmediateBackend ran it: the overdue case went to the Shenzhen organisation's admin.
    assert Notification.objects.get(kind="escalation").recipient == sz_admin


def test_daily_run_for_an_unassigned_case_goes_to_the_organisation_admins(
    case_factory, make_user, sz_admin, admin_actor
):
    other_admin = make_user("org_admin", org="bj")  # another organisation: never told
    case = case_factory(actor=actor_for(sz_admin))
    go(case, "accepted", admin_actor)
    go(case, "referred_labour_inspection", admin_actor, today=dt.date(2025, 9, 26))
    # 5 working days from Fri 26 Sep 2025 across National Day: due Fri 10 Oct.
    acceptance = deadlines(case)["inspection_acceptance"]
    assert acceptance.due_date == dt.date(2025, 10, 10)
    Notification.objects.all().delete()
    counts = services.cases_daily_run(today=dt.date(2025, 10, 8))
    assert counts["near"] == 1
    near = Notification.objects.get()
    assert (near.recipient, near.kind) == (sz_admin, "deadline_near")
    assert "2 days left" in near.text
    counts = services.cases_daily_run(today=dt.date(2025, 10, 13))
    # No handler to tell: the overdue deadline is escalated to the organisation's admins.
    assert (counts["overdue"], counts["escalated"]) == (0, 1)
    assert Notification.objects.get(kind="escalation").recipient == sz_admin
    assert not Notification.objects.filter(recipient=other_admin).exists()


def test_daily_task_runs_the_service_and_finished_cases_are_quiet(
    case_factory, sz_admin, admin_actor
):
    from gongyou.cases.tasks import cases_daily

    case = case_factory(actor=actor_for(sz_admin))
    go(case, "accepted", admin_actor)
    go(case, "mediation", admin_actor, today=dt.date(2025, 3, 3))
    Notification.objects.all().delete()
    result = cases_daily.enqueue("2025-03-20")
    assert result.return_value == {"recomputed": 0, "near": 0, "overdue": 0, "escalated": 1}
    go(case, "resolved", admin_actor, resolution="paid_by_employer")
    Notification.objects.all().delete()
    counts = services.cases_daily_run(today=dt.date(2025, 3, 25))
    assert counts == {"recomputed": 0, "near": 0, "overdue": 0, "escalated": 0}


def test_partner_department_staff_are_not_assignable_and_do_not_move_cases(
    case_factory, admin_actor, inspection, partner_user
):
    case = case_factory()
    case = services.case_refer(
        actor=admin_actor, case=case, organisation_id=inspection.pk, reason="移送", version=1
    )
    partner = partner_user()
    with pytest.raises(ValidationFailed) as exc:
        services.case_assign(actor=admin_actor, case=case, user_id=partner.pk, version=2)
    assert exc.value.fields["user_id"]["code"] == "unknown_handler"
    with pytest.raises(PermissionDenied):
        services.case_transition(
            actor=actor_for(partner), case=case, to_status="accepted", reason="x", version=2
        )
    with pytest.raises(PermissionDenied):
        services.claimant_record_outcome(
            actor=actor_for(partner),
            case=case,
            claimant_id=case.claimants.get().pk,
            data={"satisfaction": 5},
            version=2,
        )
    services.case_note(actor=actor_for(partner), case=case, text="监察已登记")
    assert Case.objects.get(pk=case.pk).version == 2


def test_an_existing_project_collects_its_contractors_and_repeated_cases(admin_actor, worker, home):
    general = make_employer(actor=admin_actor, name="总包")
    sub1 = make_employer(actor=admin_actor, name="分包一")
    sub2 = make_employer(actor=admin_actor, name="分包二")
    first = make_case(
        actor=admin_actor,
        workers=[worker],
        intake_station_id=home.pk,
        respondents=[{"employer_id": sub1.pk, "role": "subcontractor"}],
        project={"name": "地铁站", "region": "440305"},
    )
    project = Project.objects.get()
    assert project.general_contractor is None and not project.arrears_flagged
    make_case(
        actor=admin_actor,
        workers=[worker],
        intake_station_id=home.pk,
        type="labour_contract",  # not a wage case: does not count
        respondents=[{"employer_id": sub2.pk, "role": "subcontractor"}],
        project_id=project.pk,
    )
    project.refresh_from_db()
    assert not project.arrears_flagged
    make_case(
        actor=admin_actor,
        workers=[worker],
        intake_station_id=home.pk,
        respondents=[
            {"employer_id": general.pk, "role": "general_contractor"},
            {"employer_id": sub1.pk, "role": "subcontractor"},
        ],
        project_id=project.pk,
    )
    project.refresh_from_db()
    assert Project.objects.count() == 1
    assert project.general_contractor == general
    assert set(project.subcontractors.all()) == {sub1, sub2}
    assert project.arrears_flagged and "2" in project.arrears_flag_reason
    assert AuditEvent.objects.filter(action="project.flag", entity_id=str(project.pk)).exists()
    assert first.reference not in project.arrears_flag_reason  # the latest case is named
