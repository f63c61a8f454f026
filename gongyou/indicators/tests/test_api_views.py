"""Indicator API and pages: definitions, values, exports, the briefing, scope."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongyou.testing import api_client_for

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_api_definitions_and_values(world, make_user):
    national = api_client_for(make_user("analyst", org="national"))
    listing = national.get("/api/v1/indicators?limit=100").json()
    assert listing["count"] >= 14
    assert {"key", "counts", "source", "filters", "unit"} <= set(listing["items"][0])
    res = national.get("/api/v1/indicators/workers_by_sex/values?region=440000")
    body = res.json()
    assert res.status_code == 200 and body["total"]["values"]["_total"] == 4
    assert [r["region"] for r in body["rows"]] == ["440300"]
    published = national.get("/api/v1/indicators/workers_by_sex/values?published=true").json()
    assert published["total"]["values"]["F"] is None and "F" in published["total"]["suppressed"]
    sz = api_client_for(make_user("analyst", org="sz"))
    assert sz.get("/api/v1/indicators/workers_by_sex/values?region=110000").status_code == 404
    res = sz.get("/api/v1/indicators/workers_by_sex/values?region=12")
    assert res.status_code == 422 and "region" in res.json()["fields"]
    assert sz.get("/api/v1/indicators/nope").status_code == 404


def test_api_briefing(world, make_user, settings):
    sz = api_client_for(make_user("analyst", org="sz"))
    body = sz.get("/api/v1/briefing").json()
    assert body["figures"]["workers"] == 4
    # Four people are fewer than the publication threshold (5): the text does not break them down.
    assert "Fewer than 5 migrant workers were registered in 深圳市." in body["paragraphs"]
    settings.INDICATORS_SUPPRESS_BELOW = 3
    body = sz.get("/api/v1/briefing").json()
    text = " ".join(body["paragraphs"])
    assert "4 migrant workers were registered in 深圳市; 50.0% of them are women." in text
    assert "1 station was open (migrant-worker service stations: 0, union rest stations: 1)" in text
    assert "they served" not in text and "it served 0.2 people a day on average" in text
    assert "1 rights-protection case was open (past a statutory deadline: 0)." in text
    assert "Claimants in cases received in the period have recovered 5,000.00 yuan" in text


def test_pages_render_with_charts_and_drill_links(world, make_user):
    client = _client(make_user("analyst", org="national"))
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert "<svg" in html and "广东省" in html and "北京市" in html
    assert "?region=440000" in html
    html = client.get(reverse("indicators:catalogue")).content.decode()
    assert reverse("indicators:indicator", args=["cases_status"]) in html
    html = client.get(
        reverse("indicators:indicator", args=["workers_by_sex"]), {"region": "440300"}
    ).content.decode()
    assert "What is counted" in html and "南山区" in html and "福田区" in html
    html = client.get(
        reverse("indicators:indicator", args=["workers_by_sex"]),
        {"start": "2026-05-02", "end": "2026-05-01"},
    ).content.decode()
    assert "The period cannot start after it ends." in html


def test_exports_are_published_tables(world, make_user):
    client = _client(make_user("analyst", org="national"))
    url = reverse("indicators:export", args=["workers_by_sex", "csv"])
    res = client.get(url, {"region": "440000"})
    assert res["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert rows[0] == ["Registered workers by sex"]
    assert rows[-1][-1] == "<5"  # 4 workers: hidden in a published table
    res = client.get(reverse("indicators:export", args=["workers_by_sex", "xlsx"]))
    sheet = load_workbook(io.BytesIO(res.content)).active
    assert sheet["A1"].value == "Registered workers by sex"
    assert (
        client.get(reverse("indicators:export", args=["workers_by_sex", "pdf"])).status_code == 404
    )


def test_briefing_page_is_printable(world, make_user):
    client = _client(make_user("analyst", org="sz"))
    html = client.get(reverse("indicators:briefing")).content.decode()
    assert "migrant workers were registered in 深圳市" in html and "@media print" not in html
    assert "indicators/print.js" in html and "js-print" in html
    assert client.get(reverse("indicators:briefing"), {"region": "110000"}).status_code == 404


def test_a_shenzhen_user_sees_no_beijing_rows_on_the_dashboard(world, make_user):
    html = (
        _client(make_user("analyst", org="sz"))
        .get(reverse("indicators:dashboard"))
        .content.decode()
    )
    assert "北京" not in html and "朝阳" not in html
