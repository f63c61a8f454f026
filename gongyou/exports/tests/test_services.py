"""Export jobs: scope, filters, masking and audited reveal, the three writers, failure, retry,
the lifecycle table, idempotency and the daily clean-up."""

import csv
import datetime as dt
import errno
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import PermissionDenied, ValidationFailed
from gongyou.core.models import AuditEvent
from gongyou.exports import services, writers
from gongyou.exports.columns import WORKER_COLUMNS
from gongyou.exports.enums import TRANSITIONS, ExportStatus
from gongyou.exports.models import ExportJob
from gongyou.exports.services import ExportTransitionNotAllowed, export_transition, exports_dir
from gongyou.testing import make_national_id

pytestmark = pytest.mark.django_db


def read_csv(job):
    raw = (exports_dir() / job.file_name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Chinese Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def by_key(rows):
    header = [c.key for c in WORKER_COLUMNS]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_csv_is_masked_scoped_and_counted(run_export, analyst, sz_worker, bj_worker):
    job = run_export(analyst, language="zh-hans")  # the site's default language
    assert job.status == ExportStatus.COMPLETED, job.error
    rows = read_csv(job)
    assert rows[0][:3] == ["编号", "姓名", "身份证号"]
    records = by_key(rows)
    assert job.row_count == len(records) == 1
    (record,) = records
    assert record["name"] == "李深圳"  # the Beijing worker is out of a Shenzhen user's scope
    assert "*" in record["national_id"] and record["national_id"] == sz_worker.national_id_masked
    assert record["phone"] == sz_worker.phone_masked and "*" in record["phone"]
    assert record["current_region"].endswith("南山区")
    assert job.size == (exports_dir() / job.file_name).stat().st_size and len(job.sha256) == 64
    event = AuditEvent.objects.get(action="export.complete", entity_id=str(job.pk))
    assert event.after["rows"] == 1 and event.after["revealed_fields"] == []


def test_national_user_sees_both_and_filters_apply(run_export, admin, sz_worker, bj_worker):
    assert len(read_csv(run_export(admin))) == 3
    job = run_export(admin, filters={"region": "110000"})
    assert [r["name"] for r in by_key(read_csv(job))] == ["王北京"]
    job = run_export(admin, filters={"name": "深圳"}, headers="keys")
    rows = read_csv(job)
    assert rows[0][:3] == ["id", "name", "national_id"]
    assert [r[1] for r in rows[1:]] == ["李深圳"]
    assert job.filters["name"] == "深圳" and job.filters["region"] is None


def test_english_headers_and_labels_follow_the_language(run_export, admin, sz_worker):
    rows = read_csv(run_export(admin, language="en"))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Sex"] == "Male" and record["Trade-union member"] == "no"


def test_reveal_needs_the_capability(run_export, analyst, sz_worker):
    with pytest.raises(PermissionDenied):
        run_export(analyst, reveal=True, purpose="核对")
    assert not ExportJob.objects.exists()


def test_reveal_needs_a_purpose_and_a_list_with_personal_data(handler):
    actor = actor_for(handler)
    with pytest.raises(ValidationFailed) as exc:
        services.export_create(actor=actor, kind="workers", format="csv", reveal=True)
    assert "purpose" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.export_create(actor=actor, kind="stations", format="csv", reveal=True, purpose="x")
    assert exc.value.fields["reveal"]["code"] == "not_applicable"


def test_reveal_decrypts_and_is_audited_once(run_export, handler, sz_worker, worker_factory):
    other = worker_factory(name="赵二", current_region="440305")
    job = run_export(handler, reveal=True, purpose="欠薪案件核对身份")
    assert job.status == ExportStatus.COMPLETED, job.error
    records = {r["name"]: r for r in by_key(read_csv(job))}
    for worker in (sz_worker, other):
        full = records[worker.name]["national_id"]
        assert len(full) == 18 and "*" not in full and full[:6] == worker.national_id_masked[:6]
        assert "*" not in records[worker.name]["phone"]
    (event,) = AuditEvent.objects.filter(action="export.reveal")
    assert event.purpose == "欠薪案件核对身份"
    assert event.after["rows"] == 2
    assert event.after["revealed_fields"] == ["national_id", "phone"]
    assert event.actor_id == handler.pk
    assert full not in str(event.after)


def test_xlsx_splits_into_sheets_with_the_header_repeated(
    run_export, admin, worker_factory, monkeypatch
):
    for _ in range(5):
        worker_factory()
    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 3)  # header + 2 rows per sheet
    job = run_export(admin, format="xlsx", language="zh-hans")
    assert job.status == ExportStatus.COMPLETED, job.error
    wb = load_workbook(exports_dir() / job.file_name, read_only=True)
    assert wb.sheetnames == ["workers", "workers (2)", "workers (3)"]
    sizes = []
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][:2] == ("编号", "姓名")
        sizes.append(len(rows) - 1)
    assert sizes == [2, 2, 1] and job.row_count == 5
    first = next(wb.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True))
    assert isinstance(first[4], dt.datetime)  # birth date is a real date cell


def test_parquet_is_readable_with_a_typed_schema(run_export, admin, sz_worker):
    job = run_export(admin, format="parquet")
    assert job.status == ExportStatus.COMPLETED, job.error
    table = pq.read_table(exports_dir() / job.file_name)
    assert table.schema.names == [c.key for c in WORKER_COLUMNS]
    assert table.schema.field("id").type == pa.int64()
    assert table.schema.field("birth_date").type == pa.date32()
    assert table.schema.field("union_member").type == pa.bool_()
    assert str(table.schema.field("registered_at").type).startswith("timestamp[us, tz=")
    row = table.to_pylist()[0]
    assert row["sex"] == "M" and row["education"] == "junior_secondary"  # codes, not labels
    assert row["national_id"] == sz_worker.national_id_masked
    assert row["birth_date"] == sz_worker.birth_date


class FullDisk(io.RawIOBase):
    """The outside world: a disk that fills up after a few bytes."""

    def __init__(self, path):
        self.real = path.open("wb")
        self.written = 0

    def writable(self):
        return True

    def write(self, data):
        if self.written + len(data) > 10:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.written += len(data)
        return self.real.write(data)

    def close(self):
        self.real.close()
        super().close()


# openpyxl leaves its ZipFile open when saving fails; its finaliser then meets the full disk again.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_a_write_error_fails_the_job_and_leaves_no_file(
    run_export, admin, sz_worker, monkeypatch, fmt
):
    monkeypatch.setattr(writers, "open_output", FullDisk)
    job = run_export(admin, format=fmt)
    assert job.status == ExportStatus.FAILED
    assert "disk is full" in job.error
    assert job.file_name == "" and job.finished_at is not None
    assert list(exports_dir().iterdir()) == []
    assert not AuditEvent.objects.filter(action__startswith="export.", entity_id=str(job.pk))


def test_retry_runs_a_failed_job_again(
    run_export, admin, sz_worker, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(writers, "open_output", FullDisk)
    job = run_export(admin)
    assert job.status == ExportStatus.FAILED and job.attempts == 1
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.export_retry(actor=actor_for(admin), job=job)
    job.refresh_from_db()
    assert job.status == ExportStatus.COMPLETED and job.error == "" and job.attempts == 2
    assert len(read_csv(job)) == 2
    with pytest.raises(ExportTransitionNotAllowed):  # only a failed job can be retried
        services.export_retry(actor=actor_for(admin), job=job)


def test_running_again_is_a_no_op(run_export, admin, sz_worker):
    job = run_export(admin)
    before = (job.file_name, job.sha256, job.attempts)
    again = services.export_run(job_id=job.pk)
    assert (again.file_name, again.sha256, again.attempts) == before
    assert len(list(exports_dir().iterdir())) == 1
    assert services.export_run(job_id=999_999) is None


def test_losing_the_reveal_capability_fails_the_job(handler, sz_worker):
    job = services.export_create(
        actor=actor_for(handler), kind="workers", format="csv", reveal=True, purpose="核对"
    )
    handler.roles = ["analyst"]
    handler.save()
    handler = type(handler).objects.get(pk=handler.pk)
    job = services.export_run(job_id=job.pk)
    assert job.status == ExportStatus.FAILED and "no longer reveal" in job.error


@pytest.mark.parametrize("start", list(ExportStatus))
def test_every_edge_of_the_lifecycle(admin, start):
    for to in ExportStatus:
        job = ExportJob.objects.create(
            kind="workers",
            format="csv",
            created_by=admin,
            status=start,
            expires_at=timezone.now(),
        )
        if to in TRANSITIONS[start]:
            assert export_transition(job=job, to=to).status == to
        else:
            with pytest.raises(ExportTransitionNotAllowed):
                export_transition(job=job, to=to)
            job.refresh_from_db()
            assert job.status == start


def test_cleanup_expires_old_files_and_fails_interrupted_jobs(run_export, admin, sz_worker):
    done = run_export(admin)
    path = exports_dir() / done.file_name
    stuck = ExportJob.objects.create(
        kind="workers",
        format="csv",
        created_by=admin,
        status=ExportStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(days=1),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    result = services.export_cleanup(now=timezone.now() + dt.timedelta(days=8))
    assert result == {"expired": 1, "interrupted": 1}
    done.refresh_from_db()
    stuck.refresh_from_db()
    assert done.status == ExportStatus.EXPIRED and not path.exists()
    assert stuck.status == ExportStatus.FAILED and "interrupted" in stuck.error


def test_stations_visits_and_cases_come_from_their_scoped_lists(
    run_export, handler, admin_actor, station_factory, sz_worker, bj_worker
):
    from gongyou.cases.tests.factories import make_case
    from gongyou.employers.tests.factories import make_employer
    from gongyou.stations.services import visit_log

    sz_station = station_factory(name="南山驿站")
    bj_station = station_factory(
        name="朝阳驿站", region="110105", organisation=sz_station.organisation_id
    )
    visit_log(actor=admin_actor, station_id=sz_station.pk, service="rest", worker_id=sz_worker.pk)
    visit_log(actor=admin_actor, station_id=bj_station.pk, service="rest", worker_id=bj_worker.pk)
    make_case(actor=admin_actor, workers=[sz_worker], employers=[make_employer(actor=admin_actor)])

    stations = read_csv(run_export(handler, kind="stations", headers="keys"))
    assert [r[2] for r in stations[1:]] == ["南山驿站"]
    visits = run_export(handler, kind="visits", headers="keys", reveal=True, purpose="核对")
    rows = read_csv(visits)
    assert len(rows) == 2 and rows[1][8] == "李深圳"
    assert len(rows[1][9]) == 18 and "*" not in rows[1][9]  # revealed worker ID number
    cases = read_csv(run_export(handler, kind="cases", headers="keys"))
    assert len(cases) == 2 and cases[1][18] == "李深圳"
    assert run_export(handler, kind="cases", search="nothing-like-this").row_count == 0


def test_unknown_or_bad_filters_are_named(analyst):
    with pytest.raises(ValidationFailed) as exc:
        services.export_create(
            actor=actor_for(analyst),
            kind="workers",
            format="csv",
            filters={"colour": "red", "born_after": "not a date"},
        )
    assert {"filters.colour", "filters.born_after"} <= set(exc.value.fields)


def test_national_id_spellings_filter_like_the_list(run_export, admin, sz_worker):
    number = make_national_id()  # someone else: no match
    assert run_export(admin, filters={"national_id": number}).row_count == 0
