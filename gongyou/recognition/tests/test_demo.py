import pytest

from gongyou.recognition.demo import demo_populate
from gongyou.recognition.models import AwardRound, Nomination

pytestmark = pytest.mark.django_db


def test_demo_creates_a_decided_and_an_open_round_once(orgs, worker_factory):
    for name in ("王一", "李二", "张三", "赵四"):
        worker_factory(name=name, current_region="440305")
    for name in ("刘五", "陈六", "杨七"):
        worker_factory(name=name, current_region="110105", hukou_region="130102")
    counts = demo_populate()
    assert counts["rounds"] == 2
    assert counts["awarded"] >= 2 and counts["objections"] == 1
    past = AwardRound.objects.get(award_type="national_may_day_medal")
    assert past.concluded_at is not None
    awarded = Nomination.objects.filter(round=past, status="awarded")
    assert awarded.filter(worker__isnull=False).exists()
    assert Nomination.objects.filter(round__concluded_at__isnull=True).count() >= 2
    assert demo_populate() == {}
