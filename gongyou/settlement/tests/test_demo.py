import pytest

from gongyou.settlement.demo import demo_populate
from gongyou.settlement.models import ContributionSpell, EligibilityResult, ResidenceSpell
from gongyou.settlement.selectors import results_by_city

pytestmark = pytest.mark.django_db


def test_demo_builds_histories_once_and_runs_a_batch(worker_factory):
    for region in ("440305", "440106", "110105", "310115"):
        worker_factory(current_region=region)
    counts = demo_populate()
    assert counts["settlement_workers"] == 4
    assert counts["contribution_spells"] >= 12 and counts["residence_spells"] >= 4
    assert not ContributionSpell.objects.filter(city__level="county").exists()
    assert not ResidenceSpell.objects.filter(end__lt=models_start()).exists()
    assert EligibilityResult.objects.count() == 4
    assert {r["city"] for r in results_by_city()} == {"440300", "440100", "110100", "310100"}
    assert demo_populate() == {}


def models_start():
    from django.db.models import F

    return F("start")
