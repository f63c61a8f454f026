import pytest

from gongyou.training.demo import demo_populate
from gongyou.training.models import Campaign, Enrolment, SubsidyClaim

pytestmark = pytest.mark.django_db


def test_demo_populates_once(orgs, worker_factory):
    for i in range(40):
        worker_factory(current_region="440305" if i % 2 else "440306")
    counts = demo_populate()
    assert counts["campaigns"] == 2 and counts["courses"] == 5
    assert counts["certificates"] > 0 and counts["claims"] > 0 and counts["graduates"] > 0
    assert Enrolment.objects.count() == counts["enrolments"]
    assert SubsidyClaim.objects.count() == counts["claims"]
    assert demo_populate() == {}
    assert Campaign.objects.count() == 2
