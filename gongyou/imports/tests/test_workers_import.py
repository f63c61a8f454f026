from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongyou.core.models import AuditEvent
from gongyou.imports.models import ImportRowError
from gongyou.testing import make_national_id, make_phone
from gongyou.workers.models import SkillCertificate, Worker

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ZH = ["身份证号", "姓名", "手机号", "户籍地", "现居住地", "文化程度", "工会会员", "入会日期"]
EN = [
    "national_id",
    "name",
    "phone",
    "hukou_region",
    "current_region",
    "education",
    "union_member",
    "union_joined_on",
]


def person(**over: Any) -> list[Any]:
    row = {
        "national_id": make_national_id(),
        "name": "李娜",
        "phone": make_phone(),
        "hukou_region": "510104",
        "current_region": "440305",
        "education": "初中",
        "union_member": "是",
        "union_joined_on": "2020/3/1",
    }
    row.update(over)
    return [row[k] for k in EN]


def errors_of(job: Any) -> list[tuple[int, str, str]]:
    return list(ImportRowError.objects.filter(job=job).values_list("row", "column", "code"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(run_import: Any, encoding: str) -> None:
    rows = [ZH, person(), person()]
    job = run_import("workers", csv_bytes(rows, encoding))
    assert job.status == "completed", job.error
    assert (job.created, job.invalid) == (2, 0)
    assert job.encoding == ("gb18030" if encoding == "gb18030" else "utf-8-sig")
    worker = Worker.objects.order_by("id").last()
    assert worker.name == "李娜" and worker.education == "junior_secondary"
    assert worker.union_member and worker.union_joined_on == dt.date(2020, 3, 1)


def test_xlsx_with_english_headers_and_typed_cells(run_import: Any) -> None:
    nid = make_national_id()
    row = person(national_id=nid, union_joined_on=dt.datetime(2021, 5, 4), current_region=440305)
    job = run_import("workers", xlsx_bytes([EN, row]), name="w.xlsx")
    assert job.status == "completed", job.error
    assert job.created == 1
    assert Worker.objects.get().union_joined_on == dt.date(2021, 5, 4)


def test_bulk_created_worker_matches_the_register_service(run_import: Any, admin: Any) -> None:
    nid, phone = make_national_id(), make_phone()
    job = run_import("workers", csv_bytes([ZH, person(national_id=nid, phone=phone)]))
    worker = Worker.objects.get()
    from gongyou.core import crypto

    assert crypto.decrypt(worker.national_id_enc, context="national_id") == nid
    assert worker.phone_hash == crypto.blind_index(phone, context="phone")
    assert worker.national_id_masked == nid[:6] + "********" + nid[-4:]
    assert worker.registered_by_id == admin.pk and worker.migration_scope == "cross_province"
    event = AuditEvent.objects.get(action="worker.register")
    assert event.worker_id == worker.pk and event.actor_id == admin.pk
    assert (
        event.after["name"] == "李娜"
        and event.after["national_id_masked"] == worker.national_id_masked
    )
    assert AuditEvent.objects.filter(action__in=["import.start", "import.finish"]).count() == 2
    assert job.created == 1


def test_spreadsheet_damage_is_repaired_or_named(run_import: Any) -> None:
    good = make_national_id()
    fullwidth = good.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows = [
        ZH,
        person(national_id=f"'{good[:6]} {good[6:]}"),  # apostrophe and a space
        person(national_id=fullwidth.replace(fullwidth[-1], fullwidth[-1])),
        person(national_id="1.10105E+17"),
        person(
            national_id=make_national_id(), phone=make_phone() + ".0", union_joined_on="20200301"
        ),
        person(national_id=make_national_id(), union_joined_on="2020年3月1日"),
        person(national_id=make_national_id(), union_joined_on="2020.3.1"),
        person(national_id=make_national_id(), union_joined_on="43891"),
        person(national_id=make_national_id(), union_joined_on="March"),
    ]
    job = run_import("workers", csv_bytes(rows))
    assert job.created == 5, errors_of(job)
    errs = {r: (c, code) for r, c, code in errors_of(job)}
    assert errs[3] == ("身份证号", "duplicate_in_file")  # the full-width spelling of row 2
    assert errs[4] == ("身份证号", "excel_scientific")
    assert errs[9] == ("入会日期", "invalid_date")
    msg = ImportRowError.objects.get(job=job, row=4).message
    assert "cannot be recovered" in msg and "text" in msg
    dates = set(Worker.objects.values_list("union_joined_on", flat=True))
    assert dates == {dt.date(2020, 3, 1)}


def test_xlsx_numeric_id_is_refused_not_guessed(run_import: Any) -> None:
    rows = [
        EN,
        person(national_id=110105199001011234.0),
        person(national_id=f"{make_national_id(seq=3)}.0"),
    ]
    job = run_import("workers", xlsx_bytes(rows), name="w.xlsx")
    assert errors_of(job) == [(2, "national_id", "excel_number")]
    assert job.created == 1


def test_every_bad_field_of_a_row_is_reported(run_import: Any) -> None:
    row = person(
        national_id="440305199013450011",
        name="张3",
        phone="12345",
        hukou_region="999999",
        education="博士后",
    )
    job = run_import("workers", csv_bytes([ZH, row]))
    columns = {c: code for _r, c, code in errors_of(job)}
    assert columns == {
        "身份证号": "invalid_birth_date",
        "姓名": "invalid_characters",
        "手机号": "invalid_phone",
        "户籍地": "unknown_region",
        "文化程度": "invalid_choice",
    }
    assert job.invalid == 1 and not Worker.objects.exists()
    value = ImportRowError.objects.get(job=job, column="身份证号").value
    assert value == "440305********0011"


def test_missing_required_fields_of_a_new_worker(run_import: Any) -> None:
    job = run_import("workers", csv_bytes([["身份证号", "姓名"], [make_national_id(), "王芳"]]))
    assert {c for _r, c, _code in errors_of(job)} == {"phone", "hukou_region", "current_region"}


def test_reimporting_the_same_file_changes_nothing(run_import: Any) -> None:
    data = csv_bytes([ZH, person(), person(), person()])
    first = run_import("workers", data)
    assert first.created == 3
    events = AuditEvent.objects.filter(action__startswith="worker.").count()
    second = run_import("workers", data)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert Worker.objects.count() == 3
    assert AuditEvent.objects.filter(action__startswith="worker.").count() == events


def test_known_id_updates_only_given_columns_and_is_audited(
    run_import: Any, worker_factory: Any
) -> None:
    nid = make_national_id()
    worker = worker_factory(
        national_id=nid, name="张伟", current_address="旧地址", education="primary"
    )
    phone_hash = worker.phone_hash
    job = run_import(
        "workers", csv_bytes([["身份证号", "文化程度", "姓名"], [nid, "高中", "张伟"]])
    )
    assert (job.updated, job.unchanged, job.created) == (1, 0, 0)
    worker.refresh_from_db()
    assert worker.education == "senior_secondary" and worker.current_address == "旧地址"
    assert worker.phone_hash == phone_hash
    event = AuditEvent.objects.filter(action="worker.update", worker_id=worker.pk).get()
    assert event.before == {"education": "primary"} and event.after == {
        "education": "senior_secondary"
    }


def test_out_of_scope_id_is_a_conflict(
    run_import: Any, worker_factory: Any, make_user: Any
) -> None:
    nid = make_national_id(region="110105")
    worker_factory(national_id=nid, hukou_region="110105", current_region="110105")
    sz = make_user("org_admin", org="sz")
    job = run_import("workers", csv_bytes([ZH, person(national_id=nid, name="别人")]), user=sz)
    assert job.conflicts == 1 and errors_of(job)[0][2] == "registered_elsewhere"
    assert Worker.objects.get().name == "张伟"


def test_rows_outside_the_scope_are_errors(run_import: Any, make_user: Any) -> None:
    sz = make_user("org_admin", org="sz")
    job = run_import(
        "workers", csv_bytes([ZH, person(hukou_region="110105", current_region="110105")]), user=sz
    )
    assert errors_of(job) == [(2, "现居住地", "out_of_scope")]


def test_certificates_one_per_row(run_import: Any) -> None:
    nid = make_national_id()
    head = [*ZH, "证书职业", "证书等级", "证书编号", "发证机构", "发证日期"]
    rows = [
        head,
        [*person(national_id=nid), "6-29-01-01", "四级", "C001", "深圳鉴定中心", "2024-05-01"],
        [*person(national_id=nid), "6-29-01-03", "五级/初级工", "C002", "深圳鉴定中心", "2023/1/2"],
        [*person(national_id=nid), "6-29-01-03", "五级", "C002", "深圳鉴定中心", "2023/1/2"],
        [*person(), "6-29-01-01", "九级", "C003", "深圳鉴定中心", "2024-05-01"],
    ]
    job = run_import("workers", csv_bytes(rows))
    assert (job.created, job.updated, job.duplicate_in_file, job.invalid) == (1, 1, 1, 1)
    worker = Worker.objects.get()
    assert sorted(worker.certificates.values_list("certificate_no", "level")) == [
        ("C001", 4),
        ("C002", 5),
    ]
    assert errors_of(job)[-1] == (5, "证书等级", "invalid_choice")
    again = run_import("workers", csv_bytes(rows))
    assert again.created == 0 and again.updated == 0 and again.unchanged == 2
    assert SkillCertificate.objects.count() == 2


def test_unknown_columns_are_reported_once(run_import: Any) -> None:
    job = run_import("workers", csv_bytes([[*ZH, "备注", "民族"], [*person(), "x", "汉"]]))
    assert job.unknown_columns == ["备注", "民族"] and job.created == 1


def test_missing_id_column_fails_the_job(run_import: Any) -> None:
    job = run_import("workers", csv_bytes([["姓名"], ["张三"]]))
    assert job.status == "failed" and "身份证号" in job.error


def test_template_second_header_row_is_skipped(run_import: Any) -> None:
    from gongyou.imports.files import template_csv, template_xlsx
    from gongyou.imports.reading import COLUMNS

    values = dict(zip(EN, person(), strict=True))
    data = template_csv("workers") + csv_bytes(
        [[values.get(c.field, "") for c in COLUMNS["workers"]]]
    )
    job = run_import("workers", data)
    assert job.created == 1 and job.invalid == 0, errors_of(job)
    assert template_xlsx("workers")[:2] == b"PK"


@pytest.mark.parametrize("kind", ["workers", "stations", "visits", "settlement-history"])
def test_no_header_is_a_number(kind: str) -> None:
    # The runner takes a row whose first cell is all digits for data without looking it up
    # among the headers (imports.services._header_again): no header may be a number.
    from gongyou.imports.reading import header_index

    assert not [key for key in header_index(kind) if key.isdigit()]


def test_blank_rows_are_skipped_whatever_their_cells(run_import: Any) -> None:
    data = csv_bytes([ZH, ["", " ", "\u3000"], person(), [None, "  "]])
    job = run_import("workers", data)
    assert job.created == 1 and job.invalid == 0, errors_of(job)


def test_a_row_for_a_merged_id_updates_the_kept_worker(run_import, admin_actor, worker_factory):
    from gongyou.testing import make_national_id
    from gongyou.workers.services import worker_merge

    merged_id = make_national_id()
    keep = worker_factory(name="陈刚")
    gone = worker_factory(name="陈刚", national_id=merged_id)
    worker_merge(actor=admin_actor, keep=keep, merge=gone, reason="同一人两条记录")
    job = run_import("workers", f"身份证号,姓名,文化程度\n{merged_id},陈刚,高中\n".encode())
    keep.refresh_from_db()
    assert job.conflicts == 0 and job.updated == 1 and keep.education == "senior_secondary"
