"""The station front desk keeps logging visits while offline and sends each exactly once when the
connection is back; a visit the server refuses is shown as a conflict, never dropped."""

from __future__ import annotations

import json

import pytest

from gongyou.stations.models import Visit
from gongyou.testing import transactional_apps

from .conftest import session_cookie_for

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, available_apps=transactional_apps()),
]


@pytest.fixture
def desk(browser, live_server, make_user, station_factory):
    station = station_factory(region="440305", type="rest_station")
    staff = make_user("station_staff", station=station)
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="en-US")
    context.add_cookies([session_cookie_for(staff, live_server.url)])
    page = context.new_page()
    page.goto(f"{live_server.url}/stations/front-desk/")
    page.wait_for_selector("#fd-services .service")
    yield station, context, page
    context.close()


def _queue(page, station):
    return json.loads(
        page.evaluate(f"localStorage.getItem('gongyou.frontdesk.v1.{station.pk}') || '[]'")
    )


def test_offline_visits_are_kept_and_sent_exactly_once(desk, screenshot):
    station, context, page = desk
    context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.click("#fd-services .service >> nth=0")
    page.keyboard.press("Escape")
    page.click("#fd-services .service >> nth=1")
    page.wait_for_selector("#fd-offline:not([hidden])")
    assert page.locator("#fd-waiting li").count() == 2
    assert page.inner_text("#fd-waiting-count") == "2"
    assert not page.is_visible("#fd-send-now")  # nothing can be sent while offline
    queued = _queue(page, station)
    assert len({v["key"] for v in queued}) == 2
    assert Visit.objects.count() == 0
    screenshot(page, "front_desk_offline_waiting")

    context.set_offline(False)
    page.wait_for_function(
        f"() => JSON.parse(localStorage.getItem('gongyou.frontdesk.v1.{station.pk}') || '[]').length === 0",
        timeout=15000,
    )
    assert Visit.objects.count() == 2
    assert set(Visit.objects.values_list("idempotency_key", flat=True)) == {
        v["key"] for v in queued
    }
    assert sorted(Visit.objects.values_list("service", flat=True)) == sorted(
        v["service"] for v in queued
    )

    # The same visits sent again (a lost answer, a second tab): still counted once.
    page.evaluate(
        f"localStorage.setItem('gongyou.frontdesk.v1.{station.pk}', {json.dumps(json.dumps(queued))})"
    )
    page.evaluate("window.gongyouFrontDesk.flush()")
    page.wait_for_function(
        f"() => JSON.parse(localStorage.getItem('gongyou.frontdesk.v1.{station.pk}') || '[]').length === 0",
        timeout=15000,
    )
    assert Visit.objects.count() == 2
    page.wait_for_function(
        "() => document.querySelector('#today h2').textContent.includes('2')", timeout=15000
    )
    screenshot(page)


def test_a_refused_visit_is_reported_as_a_conflict(desk, screenshot):
    station, context, page = desk
    context.set_offline(True)
    page.wait_for_function("() => !navigator.onLine")
    page.click("#fd-services .service >> nth=0")
    queued = _queue(page, station)
    # Meanwhile the same key was used on the server for a different visit.
    first = queued[0]
    other_service = "toilet" if first["service"] != "toilet" else "rest"
    from gongyou.accounts.policies import actor_for
    from gongyou.stations.services import visit_log

    staff = station.staff.get()
    visit_log(
        actor=actor_for(staff),
        station_id=station.pk,
        service=other_service,
        idempotency_key=first["key"],
    )
    context.set_offline(False)
    page.wait_for_selector("#fd-conflicts li", timeout=15000)
    assert page.locator("#fd-conflicts li").count() == 1
    assert "different visit" in page.inner_text("#fd-conflicts")
    assert Visit.objects.count() == 1  # not overwritten, not duplicated
    assert len(_queue(page, station)) == 1  # kept until staff decide
    screenshot(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#fd-conflicts button[data-action=discard]")
    page.wait_for_function(
        f"() => JSON.parse(localStorage.getItem('gongyou.frontdesk.v1.{station.pk}') || '[]').length === 0"
    )
    assert "discarded" in page.inner_text("#fd-status")
