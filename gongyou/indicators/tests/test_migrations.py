"""The migration that adds the city and province levels of the visit rollup fills them from
the rows already kept, so the rollup stays complete across the upgrade (no refresh needed)."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from gongyou.indicators.models import VisitDayRollup

pytestmark = pytest.mark.django_db
migration = importlib.import_module("gongyou.indicators.migrations.0003_rollup_levels")


def test_rollup_levels_are_built_from_the_existing_rows():
    day = dt.date(2026, 11, 2)
    for region, kind, service, visits in [
        ("440305", "rest_station", "rest", 3),
        ("440304", "rest_station", "rest", 4),  # same city: 4403 rest = 7
        ("440106", "rest_station", "rest", 5),  # Guangzhou: province 44 rest = 12
        ("110105", "service_station", "legal_aid", 2),
    ]:
        VisitDayRollup.objects.create(
            day=day, region=region, station_type=kind, service=service, visits=visits
        )
    editor = SimpleNamespace(connection=connection)
    migration.add_coarser_levels(apps, editor)
    got = {(r.digits, r.region, r.service): r.visits for r in VisitDayRollup.objects.all()}
    assert got == {
        (6, "440305", "rest"): 3,
        (6, "440304", "rest"): 4,
        (6, "440106", "rest"): 5,
        (6, "110105", "legal_aid"): 2,
        (4, "440300", "rest"): 7,
        (4, "440100", "rest"): 5,
        (4, "110100", "legal_aid"): 2,
        (2, "440000", "rest"): 12,
        (2, "110000", "legal_aid"): 2,
    }
    migration.drop_coarser_levels(apps, editor)  # backwards: the station-region rows stay
    assert set(VisitDayRollup.objects.values_list("digits", flat=True)) == {6}
    assert VisitDayRollup.objects.count() == 4
