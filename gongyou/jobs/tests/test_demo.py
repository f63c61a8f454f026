import pytest

from gongyou.jobs.demo import demo_populate
from gongyou.jobs.models import FairRegistration, JobFair, Referral, SeekerProfile, Vacancy

pytestmark = pytest.mark.django_db


def test_demo_populates_once(admin, worker_factory):
    names = "赵钱孙李周吴郑王冯陈褚卫"
    for name, occ in zip(
        names, ["6-29-01-04", "6-29-01-01", "6-18-02-04", "4-02-07-08"] * 3, strict=True
    ):
        worker_factory(name=f"{name}强", occupation=occ)
    counts = demo_populate(seed=3)
    assert counts["vacancies"] == Vacancy.objects.count() > 10
    assert counts["seekers"] == SeekerProfile.objects.count() == 12
    assert Referral.objects.count() == counts["referrals"] > 0
    assert JobFair.objects.count() == 1 and FairRegistration.objects.count() == 12
    assert demo_populate(seed=3) == {}
