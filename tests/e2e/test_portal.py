"""A worker signs in with a code from the SMS file backend, is linked to their registry record,
applies for a course, files a complaint with evidence and sees it in their cases, and checks
where they can settle."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongyou.accounts.policies import actor_for
from gongyou.cases.enums import Channel
from gongyou.cases.models import Attachment, Case
from gongyou.core import crypto
from gongyou.portal.sms import sms_file_messages
from gongyou.testing import make_phone, transactional_apps
from gongyou.training.models import Enrolment
from gongyou.training.tests.factories import make_course, make_provider

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, available_apps=transactional_apps()),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_worker_signs_in_links_and_files_a_complaint(
    browser, live_server, settings, tmp_path, worker_factory, orgs, make_user, screenshot
):
    settings.GONGYOU_SMS_BACKEND = "gongyou.portal.sms.FileBackend"
    settings.GONGYOU_SMS_FILE_DIR = str(tmp_path)
    phone = make_phone()
    worker = worker_factory(name="李娜", phone=phone, current_region="440306")
    national_id = crypto.decrypt(worker.national_id_enc, context="national_id")
    officer = actor_for(make_user("programme_officer", org="sz"))
    course = make_course(
        actor=officer, provider=make_provider(parent=orgs["sz"]), title="焊工培训班"
    )

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/me/")
    assert "/me/sign-in/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.fill("#id_phone", phone)
    page.click("button.primary")
    page.wait_for_url("**/me/sign-in/code/**")
    texts = [m["text"] for m in sms_file_messages(phone)]
    assert len(texts) == 1
    code = re.search(r"\b(\d{6})\b", texts[0]).group(1)  # type: ignore[union-attr]
    page.fill("#id_code", code)
    page.click("button.primary")
    page.wait_for_url("**/me/link/")
    page.fill("#id_name", "李娜")
    page.fill("#id_national_id", national_id)
    page.click("form.stack button.primary")
    page.wait_for_url(f"{live_server.url}/me/")
    assert "李娜" in page.inner_text("h1")

    page.goto(f"{live_server.url}{reverse('portal:training')}")
    page.click(f"form[action='{reverse('portal:training_apply', args=[course.pk])}'] button")
    page.wait_for_url(f"{live_server.url}{reverse('portal:training')}")
    assert Enrolment.objects.filter(course=course, worker=worker, status="applied").exists()

    page.goto(f"{live_server.url}{reverse('portal:home')}")
    page.click("a[href='/me/cases/new/']")
    page.select_option("#id_type", "wage_arrears")
    page.fill("#id_summary", "工地拖欠三个月工资")
    page.fill("#id_employer", "某建筑劳务公司")
    page.fill("#id_amount_claimed", "12000")
    page.set_input_files(
        "#attachment_0",
        files=[{"name": "工资条.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.select_option("#attachment_0_kind", "pay_record")
    page.click("form.stack button.primary")
    page.wait_for_url(re.compile(r".*/me/cases/\d+/$"))
    case = Case.objects.get()
    assert case.channel == Channel.SELF_SERVICE
    assert list(case.claimants.values_list("worker_id", flat=True)) == [worker.pk]
    assert Attachment.objects.filter(case=case).count() == 1
    assert case.reference in page.inner_text("h1")
    # The page fits a 360 px phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"{live_server.url}{reverse('portal:settlement')}")
    assert "深圳" in page.inner_text("body")  # the answer for the city the worker lives in
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page)
    context.close()
