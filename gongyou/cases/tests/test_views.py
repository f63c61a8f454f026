"""Case pages: scope, intake, the lifecycle from the case page, optimistic concurrency, queue."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongyou.accounts.policies import actor_for
from gongyou.cases import services
from gongyou.cases.models import Case, CaseEvent, Claimant, Notification
from gongyou.cases.tests.factories import make_case
from gongyou.employers.tests.factories import make_employer
from gongyou.testing import make_national_id

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def client_as(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def handler(make_user):
    return make_user("case_handler")


@pytest.fixture
def desk(make_user, home):
    return make_user("station_staff", station=home)


@pytest.fixture
def away_case(admin_actor, worker_factory):
    theirs = worker_factory(
        current_region="110105",
        hukou_region="110105",
        national_id=make_national_id(region="110105"),
    )
    return make_case(actor=admin_actor, workers=[theirs], region="110105")


def test_pages_render_in_scope_and_404_out_of_scope(handler, case_factory, employer, away_case):
    case = case_factory()
    c = client_as(handler)
    for url in (
        reverse("cases:queue"),
        reverse("cases:new"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:notifications"),
        reverse("cases:employer_cases", args=[employer.pk]),
    ):
        assert c.get(url).status_code == 200, url
    assert c.get(reverse("cases:detail", args=[away_case.pk])).status_code == 404
    post = {"tr-to_status": "accepted", "tr-reason": "x", "tr-version": 1}
    assert c.post(reverse("cases:transition", args=[away_case.pk]), post).status_code == 404
    queue = c.get(reverse("cases:queue")).content.decode()
    assert case.reference in queue and away_case.reference not in queue


def test_queue_columns_and_filters(handler, case_factory, worker, employer):
    case = case_factory(infringement_known_on=TODAY - dt.timedelta(days=364))
    html = client_as(handler).get(reverse("cases:queue")).content.decode()
    assert case.reference in html and worker.name in html and employer.name in html
    assert "due-near" in html  # the limitation ends within the near window
    found = client_as(handler).get(reverse("cases:queue"), {"q": worker.name}).content.decode()
    assert case.reference in found
    none = client_as(handler).get(reverse("cases:queue"), {"q": "nobody"}).content.decode()
    assert case.reference not in none
    mine = client_as(handler).get(reverse("cases:queue"), {"mine": "on"}).content.decode()
    assert case.reference not in mine


def test_queue_orders_by_nearest_deadline(handler, case_factory):
    later = case_factory(infringement_known_on=TODAY - dt.timedelta(days=10))
    without = case_factory()
    sooner = case_factory(infringement_known_on=TODAY - dt.timedelta(days=300))
    html = client_as(handler).get(reverse("cases:queue")).content.decode()
    positions = [html.index(c.reference) for c in (sooner, later, without)]
    assert positions == sorted(positions)


def test_queue_partial_for_htmx(handler, case_factory):
    case = case_factory()
    res = client_as(handler).get(reverse("cases:queue"), headers={"HX-Request": "true"})
    html = res.content.decode()
    assert case.reference in html and "<html" not in html


def test_intake_with_bad_fields_shows_every_error_and_creates_nothing(handler, worker):
    res = client_as(handler).post(
        reverse("cases:new"),
        {
            "type": "work_injury",
            "summary": "",
            "region": "999999",
            "claimants_bulk": "not a number\n110105194912310021, 100",
            "claimant_worker": [str(worker.pk)],
            "claimant_label": ["张伟"],
            "claimant_amount": ["-5"],
        },
    )
    html = res.content.decode()
    assert res.status_code == 200
    assert "Enter the date of the accident or the diagnosis." in html
    assert "Choose a known region (6-digit code)." in html
    assert "This field is required." in html  # summary
    assert "Enter an amount from 0" in html  # the picked row's amount
    assert "Line 1" in html and "Line 2" in html
    assert 'value="-5"' in html  # what was typed stays
    assert Case.objects.count() == 0


def test_intake_ok_redirects_to_the_new_case(handler, worker_factory, employer):
    picked = worker_factory()
    number = make_national_id()
    pasted = worker_factory(national_id=number)
    res = client_as(handler).post(
        reverse("cases:new"),
        {
            "type": "wage_arrears",
            "channel": "hotline",
            "summary": "工地拖欠工资",
            "region": "440305",
            "claimant_worker": [str(picked.pk)],
            "claimant_label": ["x"],
            "claimant_amount": ["8000"],
            "claimants_bulk": f"{number}, 12000.50\n",
            "respondent_employer": [str(employer.pk)],
            "respondent_label": [employer.name],
            "respondent_role": ["general_contractor"],
            "project_name": "科技园二期",
            "project_region": "440305",
        },
    )
    case = Case.objects.get()
    assert res.status_code == 302 and res.url == reverse("cases:detail", args=[case.pk])
    amounts = {c.worker_id: str(c.amount_claimed) for c in case.claimants.all()}
    assert amounts == {picked.pk: "8000.00", pasted.pk: "12000.50"}
    respondent = case.respondents.get()
    assert respondent.role == "general_contractor" and respondent.project.name == "科技园二期"
    assert case.channel == "hotline" and case.organisation_id == handler.organisation_id


def test_intake_by_station_staff_is_at_their_station(desk, home, worker):
    c = client_as(desk)
    assert 'name="intake_station_id"' not in c.get(reverse("cases:new")).content.decode()
    res = c.post(
        reverse("cases:new"),
        {
            "type": "other",
            "summary": "咨询",
            "claimant_worker": [str(worker.pk)],
            "claimant_label": ["x"],
            "claimant_amount": [""],
        },
    )
    assert res.status_code == 302
    case = Case.objects.get()
    assert case.intake_station_id == home.pk and case.region_id == home.region_id


def test_intake_pickers(handler, worker, employer):
    c = client_as(handler)
    found = c.post(reverse("cases:worker_search"), {"worker_q": worker.name}).content.decode()
    assert f'"worker_id": "{worker.pk}"' in found
    row = c.post(reverse("cases:claimant_row"), {"worker_id": worker.pk}).content.decode()
    assert 'name="claimant_worker"' in row and worker.name in row
    found = c.post(
        reverse("cases:employer_search"), {"employer_q": employer.credit_code}
    ).content.decode()
    assert f'"employer_id": "{employer.pk}"' in found
    row = c.post(reverse("cases:respondent_row"), {"employer_id": employer.pk}).content.decode()
    assert 'name="respondent_role"' in row
    assert c.post(reverse("cases:claimant_row"), {"worker_id": 999999}).status_code == 404


def test_transition_changes_status_and_adds_a_timeline_event(handler, case_factory):
    case = case_factory()
    res = client_as(handler).post(
        reverse("cases:transition", args=[case.pk]),
        {"tr-to_status": "accepted", "tr-reason": "材料齐全", "tr-version": case.version},
    )
    assert res.status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted" and case.version == 2
    event = CaseEvent.objects.filter(case=case, kind="transition").get()
    assert event.reason == "材料齐全"
    html = client_as(handler).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "材料齐全" in html and "In mediation" in html  # the next moves are offered


def test_resolve_needs_a_resolution(handler, case_factory):
    case = case_factory()
    actor = actor_for(handler)
    case = services.case_transition(
        actor=actor, case=case, to_status="accepted", reason="ok", version=1
    )
    res = client_as(handler).post(
        reverse("cases:transition", args=[case.pk]),
        {"tr-to_status": "resolved", "tr-reason": "已付清", "tr-version": case.version},
    )
    assert "Say how the case was resolved." in res.content.decode()
    assert Case.objects.get(pk=case.pk).status == "accepted"


def test_stale_version_shows_the_conflict_and_keeps_the_reason(handler, case_factory, admin):
    case = case_factory()
    services.case_note(actor=actor_for(admin), case=case, text="notes bump nothing")
    services.case_transition(
        actor=actor_for(admin), case=case, to_status="accepted", reason="first", version=1
    )
    res = client_as(handler).post(
        reverse("cases:transition", args=[case.pk]),
        {"tr-to_status": "rejected", "tr-reason": "我的理由很长", "tr-version": 1},
    )
    html = res.content.decode()
    assert res.status_code == 200
    assert "changed by someone else" in html
    assert "我的理由很长" in html  # the typed reason is kept
    assert re.search(
        r'name="tr-version" value="2"', html
    )  # the form now carries the current version
    case.refresh_from_db()
    assert case.status == "accepted" and case.version == 2
    assert not CaseEvent.objects.filter(case=case, to_status="rejected").exists()


def test_forbidden_transition_for_the_role_is_403_and_changes_nothing(desk, case_factory):
    case = case_factory()
    c = client_as(desk)
    assert c.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    res = c.post(
        reverse("cases:transition", args=[case.pk]),
        {"tr-to_status": "rejected", "tr-reason": "不受理", "tr-version": case.version},
    )
    assert res.status_code == 403
    case.refresh_from_db()
    assert case.status == "received" and case.version == 1


def test_move_not_in_the_table_is_shown_as_an_error(handler, case_factory):
    case = case_factory()
    res = client_as(handler).post(
        reverse("cases:transition", args=[case.pk]),
        {"tr-to_status": "closed", "tr-reason": "x", "tr-version": case.version},
    )
    assert res.status_code == 200 and "cannot go from" in res.content.decode()
    assert Case.objects.get(pk=case.pk).status == "received"


def test_station_staff_see_only_accept(desk, case_factory):
    case = case_factory()
    html = client_as(desk).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'value="accepted"' in html and 'value="rejected"' not in html
    assert reverse("cases:assign", args=[case.pk]) not in html


def test_assign_and_add_claimants_from_the_case_page(handler, case_factory, worker_factory):
    case = case_factory()
    c = client_as(handler)
    res = c.post(
        reverse("cases:assign", args=[case.pk]), {"as-user_id": handler.pk, "as-version": 1}
    )
    assert res.status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == handler and case.version == 2
    numbers = [make_national_id() for _ in range(3)]
    for n in numbers:
        worker_factory(national_id=n)
    lines = "\n".join(f"{n}, 3000" for n in numbers)
    res = c.post(
        reverse("cases:claimant_add", args=[case.pk]), {"cl-lines": lines, "cl-version": 2}
    )
    assert res.status_code == 302
    case.refresh_from_db()
    assert case.claimants.count() == 4 and case.version == 5
    bad = c.post(
        reverse("cases:claimant_add", args=[case.pk]),
        {"cl-lines": f"{numbers[0]}, 1\n13800000000, 1", "cl-version": case.version},
    ).content.decode()
    assert "Line 1" in bad and "already a claimant" in bad
    assert Claimant.objects.filter(case=case).count() == 4


def test_record_outcome_and_note(handler, case_factory):
    case = case_factory()
    claimant = case.claimants.get()
    c = client_as(handler)
    res = c.post(
        reverse("cases:outcome", args=[case.pk, claimant.pk]),
        {
            "oc-outcome": "recovered_part",
            "oc-amount_recovered": "6000",
            "oc-satisfaction": "4",
            "oc-version": case.version,
        },
    )
    assert res.status_code == 302
    claimant.refresh_from_db()
    assert claimant.outcome == "recovered_part" and claimant.satisfaction == 4
    res = c.post(
        reverse("cases:note", args=[case.pk]),
        {"nt-text": "电话联系了包工头"},
        headers={"HX-Request": "true"},
    )
    html = res.content.decode()
    assert res.status_code == 200 and "电话联系了包工头" in html and "<html" not in html
    assert CaseEvent.objects.filter(case=case, kind="note").exists()


def test_notifications_page_and_mark_read(make_user, case_factory, handler):
    case = case_factory()
    services.case_assign(
        actor=actor_for(make_user("org_admin")), case=case, user_id=handler.pk, version=1
    )
    note = Notification.objects.get(recipient=handler)
    c = client_as(handler)
    html = c.get(reverse("cases:notifications")).content.decode()
    assert case.reference in html and 'class="count-badge"' in html
    res = c.post(reverse("cases:notification_read", args=[note.pk]), {"open": "1"})
    assert res.url == reverse("cases:detail", args=[case.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    other = client_as(make_user("case_handler"))
    assert other.post(reverse("cases:notification_read", args=[note.pk])).status_code == 404


def test_employer_case_history(handler, case_factory, employer, admin_actor):
    case = case_factory()
    elsewhere = make_employer(actor=admin_actor, region="110105")
    c = client_as(handler)
    html = c.get(
        reverse("cases:employer_cases", args=[employer.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert case.reference in html
    assert c.get(reverse("cases:employer_cases", args=[elsewhere.pk])).status_code == 404


# --- every capability of the API has a page --------------------------------------------------


def test_intake_page_offers_hotline_to_desk_staff_of_a_federation(handler):
    html = client_as(handler).get(reverse("cases:new")).content.decode()
    assert re.search(r'<option value="hotline" selected', html)
    assert 'value="self_service"' not in html  # the worker files that themselves


def test_transfer_and_refer_from_the_case_page(
    handler, case_factory, orgs, inspection, partner_user
):
    from gongyou.accounts.enums import OrganisationKind
    from gongyou.accounts.services import organisation_create

    nanshan = organisation_create(
        actor=None,
        name="南山区总工会",
        kind=OrganisationKind.DISTRICT_FEDERATION,
        region_code="440305",
        parent=orgs["sz"],
    )
    case = case_factory()
    c = client_as(handler)
    html = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "南山区总工会" in html and "深圳市劳动保障监察支队" in html  # the two pickers
    missing = c.post(
        reverse("cases:refer", args=[case.pk]), {"rf-organisation_id": "", "rf-version": 1}
    ).content.decode()
    assert "This field is required." in missing and Case.objects.get(pk=case.pk).version == 1
    res = c.post(
        reverse("cases:refer", args=[case.pk]),
        {"rf-organisation_id": inspection.pk, "rf-reason": "移送监察", "rf-version": 1},
    )
    assert res.status_code == 302
    case.refresh_from_db()
    assert case.referred_to == inspection
    # The partner department's staff now find it in their own queue.
    partner = client_as(partner_user())
    queue = partner.get(reverse("cases:queue"), {"referred": "on"}).content.decode()
    assert case.reference in queue
    page = partner.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "referred to your organisation" in page
    assert 'name="tr-to_status"' not in page  # no status moves for the partner
    assert reverse("cases:assign", args=[case.pk]) not in page
    res = c.post(
        reverse("cases:transfer", args=[case.pk]),
        {"tf-organisation_id": nanshan.pk, "tf-reason": "属地管辖", "tf-version": 2},
    )
    assert res.status_code == 302
    case.refresh_from_db()
    assert case.organisation == nanshan and case.assigned_to is None
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["intake", "referral", "transfer"]
    assert (
        partner.post(
            reverse("cases:transition", args=[case.pk]),
            {"tr-to_status": "accepted", "tr-reason": "x", "tr-version": case.version},
        ).status_code
        == 403
    )


def test_deadline_met_and_extend_from_the_case_page(handler, case_factory, sz_admin):
    case = case_factory()
    actor = actor_for(handler)
    case = services.case_transition(
        actor=actor, case=case, to_status="accepted", reason="ok", version=1
    )
    case = services.case_transition(
        actor=actor, case=case, to_status="referred_arbitration", reason="仲裁", version=2
    )
    acceptance = case.deadlines.get(kind="arbitration_acceptance")
    c = client_as(handler)
    html = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # Day 5 after today, moved to the next working day when that is a rest day.
    left = (acceptance.due_date - timezone.localdate()).days
    assert left >= 5
    assert "Arbitration: decision to accept" in html and f"{left} days left" in html
    assert reverse("cases:deadline_extend", args=[case.pk, acceptance.pk]) not in html
    res = c.post(
        reverse("cases:deadline_met", args=[case.pk, acceptance.pk]),
        {"mt-met_on": TODAY.isoformat(), "mt-version": 3},
    )
    assert res.status_code == 302
    award = case.deadlines.get(kind="arbitration_award")
    html = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:deadline_extend", args=[case.pk, award.pk]) in html
    assert "The law allows one extension of up to 15 calendar days." in html
    too_long = c.post(
        reverse("cases:deadline_extend", args=[case.pk, award.pk]),
        {"ex-days": "16", "ex-reason": "案情复杂", "ex-version": 4},
    ).content.decode()
    assert "Extend by 1 to 15 calendar days." in too_long
    res = c.post(
        reverse("cases:deadline_extend", args=[case.pk, award.pk]),
        {"ex-days": "15", "ex-reason": "案情复杂", "ex-version": 4},
    )
    assert res.status_code == 302
    award.refresh_from_db()
    assert award.extended_by == 15
    html = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "extended by 15 calendar days" in html


def test_days_left_near_and_overdue_are_shown(handler, case_factory):
    soon = case_factory(infringement_known_on=TODAY - dt.timedelta(days=364))
    late = case_factory(infringement_known_on=TODAY - dt.timedelta(days=400))
    c = client_as(handler)
    deadline = soon.deadlines.get()
    left = (deadline.due_date - TODAY).days
    html = c.get(reverse("cases:detail", args=[soon.pk])).content.decode()
    assert "due-near" in html and re.search(rf"\b{left} days? left", html)
    overdue = late.deadlines.get()
    html = c.get(reverse("cases:detail", args=[late.pk])).content.decode()
    days = (TODAY - overdue.due_date).days
    assert "due-overdue" in html and re.search(rf"\b{days} days? overdue", html)
    queue = c.get(reverse("cases:queue"), {"overdue": "on"}).content.decode()
    assert late.reference in queue and soon.reference not in queue


def test_resolve_close_and_reopen_from_the_case_page(handler, case_factory, sz_admin):
    case = case_factory()
    c = client_as(handler)
    for to, version, extra in (
        ("accepted", 1, {}),
        ("resolved", 2, {"tr-resolution": "paid_by_employer"}),
        ("closed", 3, {}),
    ):
        res = c.post(
            reverse("cases:transition", args=[case.pk]),
            {"tr-to_status": to, "tr-reason": "步骤", "tr-version": version, **extra},
        )
        assert res.status_code == 302, to
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("closed", "paid_by_employer")
    # Reopening is an administrator's decision: the handler is not offered it.
    assert 'value="reopened"' not in c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    admin_page = client_as(sz_admin)
    assert (
        'value="reopened"'
        in admin_page.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    res = admin_page.post(
        reverse("cases:transition", args=[case.pk]),
        {"tr-to_status": "reopened", "tr-reason": "工人反映未付清", "tr-version": 4},
    )
    assert res.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.resolution) == ("reopened", "")


def test_project_with_contractors_on_the_case_page_and_its_own_pages(
    handler, admin_actor, worker, make_user
):
    general = make_employer(actor=admin_actor, name="某建工集团")
    sub = make_employer(actor=admin_actor, name="某劳务分包公司")
    case = make_case(
        actor=admin_actor,
        workers=[worker],
        respondents=[
            {"employer_id": general.pk, "role": "general_contractor"},
            {"employer_id": sub.pk, "role": "subcontractor"},
        ],
        project={"name": "南山某住宅项目", "address": "南山区", "region": "440305"},
    )
    project = case.respondents.first().project
    c = client_as(handler)
    html = c.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:project", args=[project.pk]) in html
    assert "General contractor" in html and "某建工集团" in html and "某劳务分包公司" in html
    page = c.get(reverse("cases:project", args=[project.pk])).content.decode()
    assert "某建工集团" in page and "某劳务分包公司" in page and case.reference in page
    res = c.post(reverse("cases:project_flag", args=[project.pk]), {"flagged": "1", "reason": ""})
    assert res.status_code == 200 and "This field is required." in res.content.decode()
    res = c.post(
        reverse("cases:project_flag", args=[project.pk]), {"flagged": "1", "reason": "多次欠薪"}
    )
    assert res.status_code == 302
    flagged = c.get(reverse("cases:projects"), {"flagged": "on"}).content.decode()
    assert "南山某住宅项目" in flagged and "Flagged for wage arrears" in flagged
    history = c.get(
        reverse("cases:employer_cases", args=[sub.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert reverse("cases:project", args=[project.pk]) in history and "Subcontractor" in history
    analyst = client_as(make_user("analyst"))
    assert (
        'name="flagged"'
        not in analyst.get(reverse("cases:project", args=[project.pk])).content.decode()
    )
    assert (
        analyst.post(
            reverse("cases:project_flag", args=[project.pk]), {"flagged": "0", "reason": "x"}
        ).status_code
        == 403
    )
    outsider = client_as(make_user("case_handler", org="bj"))
    assert outsider.get(reverse("cases:project", args=[project.pk])).status_code == 404


def test_intake_picks_an_existing_project(handler, admin_actor, worker, employer):
    first = make_case(
        actor=admin_actor,
        workers=[worker],
        respondents=[{"employer_id": employer.pk, "role": "general_contractor"}],
        project={"name": "科技园二期", "region": "440305"},
    )
    project = first.respondents.get().project
    c = client_as(handler)
    found = c.post(reverse("cases:project_search"), {"project_q": "科技园"}).content.decode()
    assert f'"project_id": "{project.pk}"' in found
    pick = c.post(reverse("cases:project_pick"), {"project_id": project.pk}).content.decode()
    assert f'name="project_id" value="{project.pk}"' in pick
    res = c.post(
        reverse("cases:new"),
        {
            "type": "wage_arrears",
            "summary": "同一工地再次欠薪",
            "region": "440305",
            "claimant_worker": [str(worker.pk)],
            "claimant_label": ["x"],
            "claimant_amount": ["500"],
            "respondent_employer": [str(employer.pk)],
            "respondent_label": [employer.name],
            "respondent_role": ["general_contractor"],
            "project_id": str(project.pk),
        },
    )
    assert res.status_code == 302
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.respondents.get().project_id == project.pk
    project.refresh_from_db()
    assert project.arrears_flagged  # two wage cases on one project in 12 months


def test_system_admins_enter_a_missing_year_on_the_calendar_page(admin, handler, case_factory):
    from gongyou.cases.deadlines import PACKAGE_YEARS

    missing = PACKAGE_YEARS.stop  # the first year chinesecalendar lacks (2027 with 1.11.0)
    case = case_factory(infringement_known_on=f"{missing - 1}-11-20")
    limitation = case.deadlines.get()
    assert limitation.calendar_missing
    assert client_as(handler).get(reverse("cases:calendar")).status_code == 403
    c = client_as(admin)
    assert reverse("cases:calendar") in c.get(reverse("cases:queue")).content.decode()
    html = c.get(reverse("cases:calendar")).content.decode()
    assert f"{PACKAGE_YEARS.start}–{missing - 1}" in html
    assert "1 open deadline is counted without a holiday calendar." in html
    bad = c.post(reverse("cases:calendar"), {"date": "2027-13-01", "kind": ""}).content.decode()
    assert "Enter a date as YYYY-MM-DD." in bad and "Say whether it is a working day." in bad
    res = c.post(
        reverse("cases:calendar"),
        {"date": f"{missing}-01-01", "kind": "holiday", "name": "元旦"},
    )
    assert res.status_code == 302
    limitation.refresh_from_db()
    assert not limitation.calendar_missing  # the year is now known; the deadline recomputed
    assert "元旦" in c.get(reverse("cases:calendar")).content.decode()
