"""Importing settlement histories (one contribution or residence spell per row)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import PermissionDenied
from gongyou.core.models import AuditEvent
from gongyou.imports.models import ImportRowError
from gongyou.imports.services import SimulatedCrash, import_create, import_run
from gongyou.settlement.models import ContributionSpell, ResidenceSpell
from gongyou.settlement.services import history_save_batch
from gongyou.testing import api_client_for, make_national_id, transactional_apps

from .conftest import Upload, csv_bytes, postgres_url, xlsx_bytes

pytestmark = pytest.mark.django_db

KIND = "settlement-history"
ZH = ["身份证号", "记录类型", "城市", "险种", "起始日期", "截止日期", "持有居住证", "住房", "备注"]
EN = ["national_id", "record", "city", "kind", "start", "end", "permit_held", "tenure", "note"]


def spell(nid: str, record: str = "社保", **over: Any) -> list[Any]:
    row: dict[str, Any] = {
        "national_id": nid,
        "record": record,
        "city": "440300",
        "kind": "养老保险" if record in ("社保", "contribution") else "",
        "start": "2019-03-01",
        "end": "2021-12-31",
        "permit_held": "" if record in ("社保", "contribution") else "是",
        "tenure": "" if record in ("社保", "contribution") else "租赁",
        "note": "",
    }
    row.update(over)
    return [row[k] for k in EN]


def errors_of(job: Any) -> list[tuple[int, str, str]]:
    return list(ImportRowError.objects.filter(job=job).values_list("row", "column", "code"))


@pytest.fixture
def nid(worker_factory: Any) -> str:
    number = make_national_id()
    worker_factory(national_id=number)
    return number


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_and_chinese_headers(run_import: Any, nid: str, encoding: str) -> None:
    rows = [
        ZH,
        spell(nid),
        spell(nid, kind="医疗", start="2019/3/1", end=""),
        spell(nid, "居住", city="深圳市", start="2018年6月1日", end="", note="南山区"),
    ]
    job = run_import(KIND, csv_bytes(rows, encoding))
    assert job.status == "completed", job.error
    assert job.encoding == ("gb18030" if encoding == "gb18030" else "utf-8-sig")
    assert (job.created, job.invalid, job.unchanged) == (3, 0, 0), errors_of(job)
    contributions = ContributionSpell.objects.order_by("kind")
    assert [(c.city_id, c.kind, c.start, c.end) for c in contributions] == [
        ("440300", "medical", dt.date(2019, 3, 1), None),
        ("440300", "pension", dt.date(2019, 3, 1), dt.date(2021, 12, 31)),
    ]
    residence = ResidenceSpell.objects.get()
    assert (residence.city_id, residence.start, residence.end) == (
        "440300",
        dt.date(2018, 6, 1),
        None,
    )
    assert residence.permit_held and residence.tenure == "rented" and residence.note == "南山区"
    # One audit row per worker and batch, on the worker's timeline.
    event = AuditEvent.objects.get(action="settlement.history.batch")
    assert event.worker_id == residence.worker_id and event.after["contributions"] == 2


def test_xlsx_english_headers_typed_cells_and_months(run_import: Any, nid: str) -> None:
    rows = [
        EN,
        spell(nid, "contribution", kind="work_injury", city=440300, start=202001, end=202012),
        spell(nid, "contribution", kind="Maternity insurance", start=dt.datetime(2020, 5, 1)),
        spell(nid, "residence", city="4403", start="2017-09", end="2019年8月", tenure="owned"),
        spell(nid, "Residence", start=dt.date(2010, 1, 1), end=43831, permit_held=0, tenure="宿舍"),
    ]
    job = run_import(KIND, xlsx_bytes(rows), name="h.xlsx")
    assert job.status == "completed", job.error
    assert (job.created, job.invalid) == (4, 0), errors_of(job)
    by_kind = {c.kind: c for c in ContributionSpell.objects.all()}
    assert (by_kind["work_injury"].start, by_kind["work_injury"].end) == (
        dt.date(2020, 1, 1),
        dt.date(2020, 12, 1),
    )
    assert by_kind["maternity"].start == dt.date(2020, 5, 1)
    residences = {r.tenure: r for r in ResidenceSpell.objects.all()}
    assert (residences["owned"].city_id, residences["owned"].start) == (
        "440300",
        dt.date(2017, 9, 1),
    )
    assert residences["owned"].end == dt.date(2019, 8, 1)
    assert residences["dormitory"].end == dt.date(2020, 1, 1)  # Excel serial 43831
    assert not residences["dormitory"].permit_held


def test_spreadsheet_damage_is_repaired_or_named(run_import: Any, nid: str) -> None:
    fullwidth = nid.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows = [
        ZH,
        spell(f"'{nid[:6]} {nid[6:]}", city="440300.0", start="20190301"),
        spell(fullwidth, kind="失业", start="2019.3.1"),
        spell("4.40305E+17"),
        spell(nid, kind="生育", start="2019-13"),
        spell(nid, kind="工伤", start="2019-02-30"),
    ]
    job = run_import(KIND, csv_bytes(rows))
    assert job.created == 2, errors_of(job)
    assert errors_of(job) == [
        (4, "身份证号", "excel_scientific"),
        (5, "起始日期", "invalid_date"),
        (6, "起始日期", "invalid_date"),
    ]
    assert set(ContributionSpell.objects.values_list("kind", flat=True)) == {
        "pension",
        "unemployment",
    }
    message = ImportRowError.objects.get(job=job, row=4).message
    assert "cannot be recovered" in message


def test_every_row_error_is_named_with_the_settlement_rules(
    run_import: Any, nid: str, worker_factory: Any
) -> None:
    stranger = make_national_id()  # valid, not registered
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    rows = [
        ZH,
        spell(nid),  # row 2: good, saved although other rows of the worker are refused
        spell(stranger),  # 3
        spell("440305199013450011"),  # 4: impossible birth date
        spell(nid, record=""),  # 5
        spell(nid, record="工资"),  # 6
        spell(nid, city="999999"),  # 7
        spell(nid, city="440305"),  # 8: a district
        spell(nid, city="440000"),  # 9: a province
        spell(nid, city=""),  # 10
        spell(nid, kind=""),  # 11
        spell(nid, kind="养老金补缴", start="2018-01-01"),  # 12
        spell(nid, start=""),  # 13
        spell(nid, start="next week"),  # 14
        spell(nid, start=future, end=""),  # 15
        spell(nid, start="2020-05-01", end="2020-01-01"),  # 16
        spell(nid, "居住", tenure=""),  # 17
        spell(nid, "居住", tenure="船屋"),  # 18
        spell(nid, "居住", permit_held="也许"),  # 19
        spell(nid, "居住", kind="养老保险"),  # 20
        spell(nid, tenure="自有"),  # 21
        spell(nid, permit_held="是"),  # 22
        spell(nid, start="2015-01-01", note="长" * 201),  # 23
        spell(nid, "居住", city="440305", tenure="船屋", start="2017-01-01"),  # 24: two fields
    ]
    job = run_import(KIND, csv_bytes(rows))
    assert job.status == "completed", job.error
    assert (job.created, job.invalid, job.duplicate_in_file) == (1, 22, 0)
    assert ContributionSpell.objects.count() == 1 and not ResidenceSpell.objects.exists()
    assert errors_of(job) == [
        (3, "身份证号", "worker_not_found"),
        (4, "身份证号", "invalid_birth_date"),
        (5, "记录类型", "required"),
        (6, "记录类型", "invalid_choice"),
        (7, "城市", "unknown_region"),
        (8, "城市", "not_a_city"),
        (9, "城市", "not_a_city"),
        (10, "城市", "required"),
        (11, "险种", "required"),
        (12, "险种", "invalid_choice"),
        (13, "起始日期", "required"),
        (14, "起始日期", "invalid_date"),
        (15, "起始日期", "in_future"),
        (16, "截止日期", "before_start"),
        (17, "住房", "required"),
        (18, "住房", "invalid_choice"),
        (19, "持有居住证", "invalid_choice"),
        (20, "险种", "not_applicable"),
        (21, "住房", "not_applicable"),
        (22, "持有居住证", "not_applicable"),
        (23, "备注", "too_long"),
        (24, "城市", "not_a_city"),
        (24, "住房", "invalid_choice"),
    ]
    district = ImportRowError.objects.get(job=job, row=8)
    assert "440300" in district.message and district.value == "440305"
    unknown = ImportRowError.objects.get(job=job, row=3)
    assert unknown.value == stranger[:6] + "********" + stranger[-4:]


def test_reimport_changes_nothing_and_in_file_duplicates_are_reported(
    run_import: Any, nid: str, admin_actor: Any
) -> None:
    from gongyou.workers.models import Worker

    worker = Worker.objects.get()
    history_save_batch(
        actor=admin_actor,
        worker=worker,
        contributions=[
            {"city": "440300", "kind": "medical", "start": "2019-03-01", "end": "2021-12-31"}
        ],
    )
    rows = [
        ZH,
        spell(nid),
        spell(nid, kind="医疗"),  # already recorded by staff: unchanged
        spell(f"{nid[:6]} {nid[6:]}", note="again"),  # same spell, other spelling and note
        spell(nid, city="4403"),  # same spell, 4-digit city code
        spell(nid, "居住"),
        spell(nid, "居住", permit_held="否"),  # another spell: the permit differs
        spell(nid, "居住", tenure="rented", permit_held="yes"),  # same as row 6
    ]
    first = run_import(KIND, csv_bytes(rows))
    assert (first.created, first.unchanged, first.duplicate_in_file) == (3, 1, 3), errors_of(first)
    assert [r for r, _c, code in errors_of(first) if code == "duplicate_in_file"] == [4, 5, 8]
    assert (ContributionSpell.objects.count(), ResidenceSpell.objects.count()) == (2, 2)
    spells = set(ContributionSpell.objects.values_list("id", "version"))
    again = run_import(KIND, xlsx_bytes(rows), name="again.xlsx")
    assert (again.created, again.unchanged, again.duplicate_in_file) == (0, 4, 3)
    assert set(ContributionSpell.objects.values_list("id", "version")) == spells
    assert ResidenceSpell.objects.count() == 2


def test_scope_unknown_and_outside_the_area_look_the_same(
    run_import: Any, make_user: Any, worker_factory: Any
) -> None:
    shenzhen = make_national_id()
    worker_factory(national_id=shenzhen)  # lives in 440305, hukou 510104
    beijing = make_national_id(region="110105")
    worker_factory(national_id=beijing, current_region="110105", hukou_region="110105")
    handler = make_user("case_handler", org="sz")
    rows = [ZH, spell(shenzhen), spell(beijing), spell(make_national_id())]
    job = run_import(KIND, csv_bytes(rows), user=handler)
    assert (job.created, job.invalid) == (1, 2)
    found = ImportRowError.objects.filter(job=job).values_list("row", "code", "message")
    assert [(r, c) for r, c, _m in found] == [(3, "worker_not_found"), (4, "worker_not_found")]
    assert len({m for _r, _c, m in found}) == 1  # no hint that one of them exists elsewhere
    analyst = make_user("analyst", org="sz")
    with pytest.raises(PermissionDenied):
        import_create(
            actor=actor_for(analyst),
            kind=KIND,
            upload=Upload(csv_bytes(rows), "h.csv"),
            enqueue=False,
        )


def test_a_merged_record_stands_for_the_kept_worker(
    run_import: Any, worker_factory: Any, admin_actor: Any
) -> None:
    from gongyou.workers.services import worker_merge

    kept_id, merged_id = make_national_id(), make_national_id()
    kept = worker_factory(national_id=kept_id)
    merged = worker_factory(national_id=merged_id)
    worker_merge(actor=admin_actor, keep=kept, merge=merged, reason="same person")
    job = run_import(KIND, csv_bytes([ZH, spell(merged_id), spell(kept_id, kind="医疗")]))
    assert (job.created, job.invalid) == (2, 0), errors_of(job)
    assert set(ContributionSpell.objects.values_list("worker_id", flat=True)) == {kept.pk}


def test_a_worker_with_more_spells_than_one_service_call_takes(
    run_import: Any, nid: str, monkeypatch: Any
) -> None:
    monkeypatch.setattr("gongyou.imports.history.MAX_BATCH", 2)
    rows = [ZH] + [spell(nid, start=f"201{y}-01-01", end=f"201{y}-06-30") for y in range(5)]
    job = run_import(KIND, csv_bytes(rows))
    assert job.created == 5 and ContributionSpell.objects.count() == 5
    assert AuditEvent.objects.filter(action="settlement.history.batch").count() == 3


def test_missing_key_column_fails_the_job(run_import: Any, nid: str) -> None:
    rows = [["身份证号", "城市", "险种", "起始日期"], [nid, "440300", "养老", "2019-01-01"]]
    job = run_import(KIND, csv_bytes(rows))
    assert job.status == "failed" and "记录类型" in job.error
    assert not ContributionSpell.objects.exists()


def _resume_file(ids: list[str]) -> bytes:
    rows: list[list[Any]] = [ZH]
    for i in range(45):
        number = ids[i % len(ids)]
        record = "社保" if i % 2 else "居住"
        rows.append(spell(number, record, start=f"20{10 + i // 6:02d}-01-01", end=""))
        if i % 9 == 4:  # the same spell again: a duplicate in the file
            rows.append(spell(number, record, start=f"20{10 + i // 6:02d}-01-01", end=""))
    return csv_bytes(rows)


def _check_resumed(job: Any) -> None:
    job.refresh_from_db()
    assert job.status == "completed"
    assert (job.created, job.duplicate_in_file, job.invalid) == (45, 5, 0), errors_of(job)
    assert ContributionSpell.objects.count() + ResidenceSpell.objects.count() == 45
    assert job.errors.filter(code="duplicate_in_file").count() == 5 == job.errors.count()


def test_crash_inside_a_batch_rolls_it_back_and_resume_is_exactly_once(
    admin: Any, worker_factory: Any, monkeypatch: Any
) -> None:
    ids = [make_national_id() for _ in range(6)]
    for number in ids:
        worker_factory(national_id=number)
    job = import_create(
        actor=actor_for(admin),
        kind=KIND,
        upload=Upload(_resume_file(ids), "h.csv"),
        batch_size=10,
        enqueue=False,
    )
    monkeypatch.setenv("GONGYOU_IMPORT_FAULT", "raise:2")
    with pytest.raises(SimulatedCrash):
        import_run(job_id=job.pk)
    job.refresh_from_db()
    # Batches 0 and 1 committed; the third was written, then rolled back by the crash.
    assert job.status == "running" and job.done_rows == 20
    assert ContributionSpell.objects.count() + ResidenceSpell.objects.count() == job.created
    monkeypatch.delenv("GONGYOU_IMPORT_FAULT")
    _check_resumed(import_run(job_id=job.pk, force=True))


@pytest.mark.slow
@pytest.mark.usefixtures("_reference_data_after")
@pytest.mark.django_db(transaction=True, available_apps=transactional_apps())
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a second process needs a shared database: PostgreSQL",
)
def test_killed_process_resumes_exactly_once(
    admin: Any, worker_factory: Any, settings: Any
) -> None:
    ids = [make_national_id() for _ in range(6)]
    for number in ids:
        worker_factory(national_id=number)
    job = import_create(
        actor=actor_for(admin),
        kind=KIND,
        upload=Upload(_resume_file(ids), "h.csv"),
        batch_size=10,
        enqueue=False,
    )
    script = textwrap.dedent(
        f"""
        import django, os
        os.environ["DJANGO_SETTINGS_MODULE"] = "gongyou.config.settings.test"
        django.setup()
        from gongyou.imports.services import import_run
        import_run(job_id={job.pk})
        """
    )
    env = {
        **os.environ,
        "DATABASE_URL": postgres_url(),
        "GONGYOU_IMPORTS_DIR": str(settings.IMPORTS_DIR),
        "DJANGO_SETTINGS_MODULE": "gongyou.config.settings.test",
        "GONGYOU_IMPORT_FAULT": "exit:3",
    }
    proc = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", script], env=env, timeout=120, check=False
    )
    assert proc.returncode == 137  # died by os._exit inside the fourth batch's transaction
    job.refresh_from_db()
    assert job.status == "running" and job.done_rows == 30
    assert ContributionSpell.objects.count() + ResidenceSpell.objects.count() == job.created
    env.pop("GONGYOU_IMPORT_FAULT")
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gongyou", "import", "resume", str(job.pk), "--force", "-v", "0"],
        env=env,
        timeout=120,
        check=False,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    _check_resumed(job)
    batches = AuditEvent.objects.filter(action="settlement.history.batch")
    assert sum(e.after["contributions"] + e.after["residences"] for e in batches) == 45


def test_command_line(admin: Any, nid: str, tmp_path: Any) -> None:
    from django.core.management.base import CommandError

    path = tmp_path / "h.csv"
    path.write_bytes(csv_bytes([EN, spell(nid, "contribution"), spell(nid, city="999999")]))
    out = io.StringIO()
    call_command("import", KIND, str(path), "--user", admin.username, "-v", "0", stdout=out)
    text = out.getvalue()
    assert "completed" in text and "created 1" in text and "invalid 1" in text
    assert "errors.csv" in text
    with pytest.raises(CommandError, match="--user"):
        call_command("import", KIND, str(path))


def test_pages_templates_and_error_reports(
    admin: Any, nid: str, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(admin)
    new = client.get("/imports/new/")
    assert new.status_code == 200 and b"/imports/templates/settlement-history.xlsx" in new.content
    template = client.get("/imports/templates/settlement-history.csv")
    assert template.status_code == 200 and "记录类型".encode() in template.content
    # The template itself, filled in under its two header rows, imports.
    filled = template.content + ",".join(spell(nid)).encode() + b"\n"
    filled += ",".join(spell(nid, city="abc")).encode() + b"\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/new/", {"kind": KIND, "file": SimpleUploadedFile("h.csv", filled)}
        )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"errors.csv" in page.content
    assert b"Settlement histories" in page.content
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b'id="progress"' in partial.content
    report = b"".join(client.get(response["Location"] + "errors.csv").streaming_content)
    assert report.startswith(b"\xef\xbb\xbf") and b"unknown_region" in report
    assert b"\n4," in report.replace(b"\r\n", b"\n")  # the row number in the file
    xlsx = client.get(response["Location"] + "errors.xlsx")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert ContributionSpell.objects.count() == 1
    book = client.get("/imports/templates/settlement-history.xlsx")
    assert book.status_code == 200 and book.content[:2] == b"PK"


def test_xlsx_template_lists_every_column(admin: Any) -> None:
    from openpyxl import load_workbook

    client = Client()
    client.force_login(admin)
    book = load_workbook(io.BytesIO(client.get(f"/imports/templates/{KIND}.xlsx").content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header == ZH
    fields = [row[1] for row in book["fields"].iter_rows(min_row=2, values_only=True) if row]
    assert [f for f in fields if f in EN] == EN


def test_api_upload(admin: Any, nid: str, django_capture_on_commit_callbacks: Any) -> None:
    api = api_client_for(admin)
    data = csv_bytes([EN, spell(nid, "residence")])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/imports", {"kind": KIND, "file": SimpleUploadedFile("h.csv", data)}
        )
    assert response.status_code == 202, response.content
    got = api.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert (got["kind"], got["status"], got["created"]) == (KIND, "completed", 1)
    assert ResidenceSpell.objects.get().tenure == "rented"
