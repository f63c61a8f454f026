"""Staff journeys in the browser: station staff register a worker and log a visit for them at the
front desk with the keyboard; a case handler opens a case a worker filed from the portal and
accepts it."""

from __future__ import annotations

import re

import pytest

from gongyou.cases.services import case_file_by_worker
from gongyou.portal.policies import PortalPrincipal
from gongyou.stations.models import Visit
from gongyou.testing import make_national_id, make_phone, transactional_apps
from gongyou.workers.models import Worker

from .conftest import session_cookie_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, available_apps=transactional_apps()),
]


def test_staff_register_a_worker_and_log_a_visit(
    browser, live_server, make_user, station_factory, screenshot
):
    station = station_factory(region="440305", type="service_station")
    staff = make_user("station_staff", station=station)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.add_cookies([session_cookie_for(staff, live_server.url)])
    page = context.new_page()
    phone = make_phone()
    page.goto(f"{live_server.url}/workers/register/")
    page.fill("#id_national_id", make_national_id(region="510104"))
    page.fill("#id_name", "陈建国")
    page.fill("#id_phone", phone)
    page.fill("#id_hukou_region", "510104")
    page.fill("#id_current_region", "440305")
    page.check("#id_consent")
    page.click("form.stack button.primary")
    page.wait_for_url(re.compile(r".*/workers/\d+/$"))
    worker = Worker.objects.get(name="陈建国")

    page.goto(f"{live_server.url}/stations/front-desk/")
    page.fill("#fd-q", phone)
    page.wait_for_selector(f"#fd-results .pick[data-worker-id='{worker.pk}']")
    page.press("#fd-q", "Enter")
    page.wait_for_function("() => document.getElementById('fd-worker-id').value !== ''")
    page.keyboard.press("1")
    page.wait_for_selector("#fd-status .ok")
    visit = Visit.objects.get()
    assert visit.worker_id == worker.pk and visit.station_id == station.pk
    screenshot(page)
    context.close()


def test_case_handler_opens_and_accepts_a_case(
    browser, live_server, make_user, worker_factory, orgs, screenshot
):
    worker = worker_factory(current_region="440306")
    case = case_file_by_worker(
        worker=worker,
        principal=PortalPrincipal(account_id=1, worker_id=worker.pk),
        data={"type": "wage_arrears", "summary": "拖欠两个月工资", "region": "440306"},
    )
    handler = make_user("case_handler", org="sz")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.add_cookies([session_cookie_for(handler, live_server.url)])
    page = context.new_page()
    page.goto(f"{live_server.url}/cases/")
    page.click(f"text={case.reference}")
    page.wait_for_url(re.compile(rf".*/cases/{case.pk}/$"))
    page.fill("#id_tr-reason", "材料齐全，受理")
    page.click("#actions button[value=accepted]")
    page.wait_for_selector("text=Accepted")
    case.refresh_from_db()
    assert case.status == "accepted" and case.version == 2
    screenshot(page)
    context.close()
