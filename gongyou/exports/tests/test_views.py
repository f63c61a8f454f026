"""Export pages: start from a list's query string, follow the job, list, download, retry."""

import pytest
from django.urls import reverse

from gongyou.exports.models import ExportJob
from gongyou.exports.tests.conftest import client_as

pytestmark = pytest.mark.django_db


def test_new_page_reads_the_list_query_and_starts_the_job(
    analyst, sz_worker, bj_worker, worker_factory, django_capture_on_commit_callbacks
):
    client = client_as(analyst)
    url = reverse("exports:new") + "?kind=workers&sex=M&page=3"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "sex" in html and 'name="reveal"' not in html  # analysts may not reveal
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(url, {"format": "csv", "headers": "labels"})
    job = ExportJob.objects.get()
    assert res.status_code == 302 and res["Location"] == reverse("exports:detail", args=[job.pk])
    assert job.filters["sex"] == "M" and job.status == "completed" and job.row_count == 1


def test_case_queue_aliases_and_reveal_form(handler, django_capture_on_commit_callbacks):
    client = client_as(handler)
    url = reverse("exports:new") + "?kind=cases&mine=on&overdue=on&q=RP-44"
    html = client.get(url).content.decode()
    assert 'name="reveal"' not in html  # cases carry no revealable columns
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"format": "parquet", "headers": "keys"})
    job = ExportJob.objects.get()
    assert job.filters["assigned_to"] == "me" and job.filters["overdue"] is True
    assert job.search == "RP-44"
    html = client.get(reverse("exports:new") + "?kind=workers").content.decode()
    assert 'name="reveal"' in html and 'name="purpose"' in html
    res = client.post(
        reverse("exports:new") + "?kind=workers",
        {"format": "csv", "headers": "labels", "reveal": "on"},
    )
    assert res.status_code == 200 and not ExportJob.objects.filter(kind="workers").exists()


def test_bad_filter_values_are_shown_not_dropped(analyst):
    res = client_as(analyst).get(reverse("exports:new") + "?kind=workers&born_after=yesterday")
    assert res.status_code == 200 and "born_after" in res.content.decode()
    assert client_as(analyst).get(reverse("exports:new") + "?kind=pets").status_code == 404


def test_detail_polls_while_running_then_links_the_file(analyst, sz_worker, run_export, admin):
    job = run_export(analyst)
    client = client_as(analyst)
    html = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert reverse("exports:download", args=[job.pk]) in html and "every 1s" not in html
    ExportJob.objects.filter(pk=job.pk).update(status="running")
    partial = client.get(reverse("exports:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert 'hx-trigger="every 1s"' in body and "<html" not in body
    assert client_as(admin).get(reverse("exports:detail", args=[job.pk])).status_code == 404


def test_list_download_and_retry_pages(
    analyst, sz_worker, run_export, make_user, settings, tmp_path
):
    job = run_export(analyst)
    client = client_as(analyst)
    assert (
        reverse("exports:detail", args=[job.pk])
        in client.get(reverse("exports:list")).content.decode()
    )
    res = client.get(reverse("exports:download", args=[job.pk]))
    assert res.status_code == 200 and res["Content-Disposition"].startswith("attachment;")
    assert "no-cache" in res["Cache-Control"] or "no-store" in res["Cache-Control"]
    other = client_as(make_user("analyst", org="sz"))
    assert other.get(reverse("exports:download", args=[job.pk])).status_code == 404
    ExportJob.objects.filter(pk=job.pk).update(status="failed", error="boom")
    res = client.post(reverse("exports:retry", args=[job.pk]))
    assert res.status_code == 302
    assert ExportJob.objects.get(pk=job.pk).status in ("pending", "completed")
