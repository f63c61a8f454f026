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
