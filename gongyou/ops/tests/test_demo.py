from collections import Counter

import pytest
from django.core.management import call_command
from django.test import override_settings

from gongyou.accounts.models import User
from gongyou.core import crypto
from gongyou.core.models import AuditEvent
from gongyou.regions.selectors import province_codes
from gongyou.stations.models import Station, Visit
from gongyou.workers.identity import parse_national_id
from gongyou.workers.models import Worker

pytestmark = pytest.mark.django_db


def test_demo_population_is_valid_and_calibrated():
    call_command("demo", workers=4000, stations=40, visits=400, verbosity=0)
    assert (
        Worker.objects.count() == 4000
        and Station.objects.count() == 40
        and Visit.objects.count() == 400
    )
    provinces = province_codes()
    sample = list(Worker.objects.all()[:300])
    for w in sample:
        number = crypto.decrypt(w.national_id_enc, context="national_id")
        parsed = parse_national_id(number, provinces=provinces)
        assert parsed.sex == w.sex and parsed.birth_date == w.birth_date
        assert w.national_id_hash == crypto.blind_index(number, context="national_id")
    sexes = Counter(Worker.objects.values_list("sex", flat=True))
    assert 0.58 < sexes["M"] / 4000 < 0.67  # survey: 62.7 % male
    scopes = Counter(Worker.objects.values_list("migration_scope", flat=True))
    assert 0.35 < scopes["local"] / 4000 < 0.46  # survey: 40.7 % local
    outbound = 4000 - scopes["local"]
    assert 0.30 < scopes["cross_province"] / outbound < 0.46  # survey: 38.2 % of outbound
    industries = Counter(Worker.objects.values_list("industry", flat=True))
    assert 0.24 < industries["manufacturing"] / 4000 < 0.31
    assert AuditEvent.objects.filter(action="worker.register").count() == 4000
    from gongyou.workers.models import SkillCertificate

    certified = SkillCertificate.objects.count()
    assert 0.10 * 4000 < certified < 0.20 * 4000
    assert AuditEvent.objects.filter(action="certificate.add").count() == certified
    # every demo occupation is a real code
    assert not Worker.objects.filter(occupation__isnull=True).exists()


def test_setup_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGYOU_ADMIN_PASSWORD", "a-long-demo-password")
    with override_settings(STATIC_ROOT=tmp_path):
        call_command("setup", workers=300, stations=10, verbosity=0)
        counts = (Worker.objects.count(), Station.objects.count(), User.objects.count())
        call_command("setup", workers=300, stations=10, verbosity=0)
    assert (
        (Worker.objects.count(), Station.objects.count(), User.objects.count())
        == counts
        == (300, 10, counts[2])
    )
    admin = User.objects.get(username="admin")
    assert admin.check_password("a-long-demo-password") and admin.roles == ["system_admin"]
    assert User.objects.filter(username="desk", station__isnull=False).exists()


def test_programme_demos_fill_every_area_once(admin):  # demos act as a system admin
    from django.apps import apps

    from gongyou.ops.management.commands.demo import PROGRAMME_DEMOS

    filled = {  # one table per programme area that its demo must fill
        "training": "training.Campaign",
        "settlement": "settlement.ContributionSpell",
        "publicservices": "publicservices.FamilyMember",
        "jobs": "jobs.Vacancy",
        "recognition": "recognition.Nomination",
        "portal": "portal.PortalAccount",
    }
    assert set(filled) == set(PROGRAMME_DEMOS)
    call_command("demo", workers=600, stations=10, visits=0, programmes=True, verbosity=0)
    for app, model in filled.items():
        assert apps.get_model(model).objects.exists(), app
    before = AuditEvent.objects.count()
    call_command("demo", workers=0, stations=0, visits=0, programmes=True, verbosity=0)
    assert AuditEvent.objects.count() == before  # nothing added the second time
