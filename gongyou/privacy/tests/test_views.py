import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongyou.core.models import AuditEvent
from gongyou.privacy.models import LegalHold, RekeyRun, RetentionRule
from gongyou.stations.models import Visit
from gongyou.workers.models import Worker


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "org"),
    [("org_admin", "national"), ("system_admin", "gd"), ("case_handler", "sz")],
    ids=["org-admin", "regional-system-admin", "case-handler"],
)
def test_only_national_system_admins_see_the_page(make_user, role, org):
    client = client_for(make_user(role, org=org))
    assert client.get(reverse("privacy:index")).status_code == 403
    assert client.post(reverse("privacy:retention_run")).status_code == 403
    assert client.post(reverse("privacy:rekey_start")).status_code == 403


def test_the_page_lists_rules_holds_and_keys(admin):
    body = client_for(admin).get(reverse("privacy:index")).content.decode()
    assert "Notes of anonymous visits" in body and "Project&#x27;s choice" in body
    assert "Keys in GONGYOU_PII_KEYS: t1, t0; new values use t1." in body
    assert 'style="' not in body.split("<main", 1)[-1]


def test_a_rule_is_saved_and_a_bad_value_explained(admin):
    client = client_for(admin)
    url = reverse("privacy:rule_update", args=["closed_cases"])
    response = client.post(url, {"keep_days": "0", "enabled": "1"})
    assert response.status_code == 422 and "Between 1 and" in response.content.decode()
    assert client.post(url, {"keep_days": "2000"}).status_code == 302
    rule = RetentionRule.objects.get(record_class="closed_cases")
    assert (rule.keep_days, rule.enabled) == (2000, False)


def test_dry_run_shows_counts_without_changing_anything(admin, station_factory):
    visit = Visit.objects.create(
        station=station_factory(),
        service="rest",
        note="秘密",
        at=timezone.now() - dt.timedelta(days=400),
    )
    body = client_for(admin).get(reverse("privacy:index"), {"plan": "1"}).content.decode()
    assert f"visit {visit.pk}" in body and "秘密" not in body
    assert Visit.objects.get(pk=visit.pk).note == "秘密"


def test_apply_now_runs_the_rules(admin, station_factory):
    visit = Visit.objects.create(
        station=station_factory(),
        service="rest",
        note="n",
        at=timezone.now() - dt.timedelta(days=400),
    )
    assert client_for(admin).post(reverse("privacy:retention_run")).status_code == 302
    assert Visit.objects.get(pk=visit.pk).note == ""  # immediate task backend in tests


def test_holds_and_anonymising_on_request(admin, worker_factory):
    worker = worker_factory(name="赵六")
    client = client_for(admin)
    assert (
        client.post(
            reverse("privacy:hold_place"), {"worker": worker.pk, "reason": "诉讼"}
        ).status_code
        == 302
    )
    hold = LegalHold.objects.get(worker=worker)
    anonymise = {"worker": worker.pk, "reason": "本人申请删除", "confirm": "yes"}
    body = client.post(reverse("privacy:anonymise"), anonymise).content.decode()
    assert "was not anonymised: legal hold: 诉讼" in body
    response = client.post(reverse("privacy:hold_release", args=[hold.pk]), {"reason": ""})
    assert response.status_code == 422 and "Say why." in response.content.decode()
    client.post(reverse("privacy:hold_release", args=[hold.pk]), {"reason": "判决生效"})
    body = client.post(reverse("privacy:anonymise"), {**anonymise, "confirm": ""}).content.decode()
    assert "cannot be undone" in body and Worker.objects.get(pk=worker.pk).name == "赵六"
    assert client.post(reverse("privacy:anonymise"), anonymise).status_code == 302
    assert Worker.objects.get(pk=worker.pk).anonymised_at is not None
    bad = client.post(reverse("privacy:hold_place"), {"worker": "x", "reason": "r"})
    assert bad.status_code == 422 and "No worker with this number." in bad.content.decode()


def test_rekey_is_started_from_the_page(admin, worker_factory):
    worker_factory()
    assert client_for(admin).post(reverse("privacy:rekey_start")).status_code == 302
    run = RekeyRun.objects.get()
    assert run.status == "done" and run.key_id == "t1"
    assert AuditEvent.objects.filter(action="privacy.rekey_start", actor=admin).exists()
    body = client_for(admin).get(reverse("privacy:index")).content.decode()
    assert "Latest re-encryption" in body
