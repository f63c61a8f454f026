from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from gongyou.stations.models import Station, Visit
from gongyou.testing import api_client_for, make_national_id

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
STATION_HEAD = ["站点编码", "站点名称", "站点类型", "所在地区", "地址", "服务项目"]


def test_stations_import_create_update_unchanged(run_import: Any) -> None:
    rows = [
        STATION_HEAD,
        ["st-a1", "科技园驿站", "工会驿站", "440305", "南山区1号", "休息、饮水"],
        ["ST-B2", "宝安服务站", "service_station", "440306", "宝安区2号", ""],
        ["ST-B2", "宝安服务站", "service_station", "440306", "宝安区2号", ""],
        ["ST-C3", "", "驿站", "999999", "", ""],
    ]
    job = run_import("stations", csv_bytes(rows))
    assert (job.created, job.duplicate_in_file, job.invalid) == (2, 1, 1), list(
        job.errors.values_list("column", "code")
    )
    station = Station.objects.get(code="ST-A1")
    assert station.type == "rest_station" and station.services == ["rest", "drinking_water"]
    again = run_import(
        "stations",
        csv_bytes([STATION_HEAD, ["ST-A1", "科技园驿站（新）", "", "", "", ""], rows[2]]),
    )
    assert (again.updated, again.unchanged) == (1, 1)
    assert Station.objects.get(code="ST-A1").name == "科技园驿站（新）"


def test_visits_import_is_idempotent(
    run_import: Any, station_factory: Any, worker_factory: Any
) -> None:
    station = station_factory(code="ST-V1")
    nid = make_national_id()
    worker_factory(national_id=nid)
    at = timezone.localtime() - dt.timedelta(days=1)
    rows = [
        ["站点编码", "服务时间", "服务项目", "身份证号", "备注"],
        ["ST-V1", at.strftime("%Y/%m/%d %H:%M"), "休息", nid, ""],
        ["ST-V1", at.strftime("%Y-%m-%d %H:%M"), "饮水", "", "匿名"],
        ["ST-V1", at.strftime("%Y-%m-%d %H:%M"), "饮水", "", "匿名"],
        ["ST-NO", at.strftime("%Y-%m-%d %H:%M"), "休息", "", ""],
    ]
    job = run_import("visits", xlsx_bytes(rows), name="v.xlsx")
    assert (job.created, job.duplicate_in_file, job.invalid) == (2, 1, 1)
    again = run_import("visits", csv_bytes(rows))
    assert (again.created, again.unchanged) == (0, 2)
    assert Visit.objects.filter(station=station).count() == 2


def test_api_contract(admin: Any, make_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    api = api_client_for(admin)
    data = csv_bytes([["身份证号", "姓名"], ["123", "张三"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/imports", {"kind": "workers", "file": SimpleUploadedFile("w.csv", data)}
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "pending" and job["sha256"]
    got = api.get(f"/api/v1/imports/{job['id']}").json()
    assert got["status"] == "completed" and got["invalid"] == 1
    errors = api.get(f"/api/v1/imports/{job['id']}/errors?limit=10").json()
    assert errors["count"] >= 1 and errors["items"][0]["row"] == 2
    bad = api.post("/api/v1/imports", {"kind": "cats", "file": SimpleUploadedFile("w.csv", data)})
    assert bad.status_code == 422 and "kind" in bad.json()["fields"]
    other = api_client_for(make_user("case_handler", org="bj"))
    assert other.get(f"/api/v1/imports/{job['id']}").status_code == 404
    assert other.get(f"/api/v1/imports/{job['id']}/errors").status_code == 404


def test_pages(admin: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    client.force_login(admin)
    assert client.get("/imports/new/").status_code == 200
    data = csv_bytes([["身份证号", "姓名"], ["440305199013450011", "张3"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/new/", {"kind": "workers", "file": SimpleUploadedFile("w.csv", data)}
        )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"errors.csv" in page.content
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b'id="progress"' in partial.content
    report = client.get(response["Location"] + "errors.csv")
    body = b"".join(report.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf") and b"440305********0011" in body
    xlsx = client.get(response["Location"] + "errors.xlsx")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert client.get("/imports/").status_code == 200
    template = client.get("/imports/templates/workers.csv")
    assert template.content.startswith(b"\xef\xbb\xbf") and "身份证号".encode() in template.content
    assert client.get("/imports/templates/workers.xlsx").content[:2] == b"PK"


def test_command_line(admin: Any, tmp_path: Any) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "w.csv"
    path.write_bytes(csv_bytes([["national_id", "name"], [make_national_id(), "张三"]]))
    out = io.StringIO()
    call_command("import", "workers", str(path), "--user", admin.username, "-v", "0", stdout=out)
    text = out.getvalue()
    assert "completed" in text and "invalid 1" in text and "errors.csv" in text
    with pytest.raises(CommandError, match="--user"):
        call_command("import", "workers", str(path))
