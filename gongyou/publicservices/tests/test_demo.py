"""The demo set is created through the services and only once."""

import pytest

from gongyou.publicservices.demo import demo_populate
from gongyou.publicservices.models import FamilyMember, Referral

pytestmark = pytest.mark.django_db


def test_demo_populates_once(admin, worker_factory):
    for i in range(6):
        w = worker_factory(current_region="440305" if i % 2 else "310115")
        w.birth_date = w.birth_date.replace(year=1985)
        w.save(update_fields=["birth_date"])
    result = demo_populate(seed=3)
    assert result["family_members"] == FamilyMember.objects.count() > 0
    assert result["referrals"] == Referral.objects.count() > 0
    assert (
        Referral.objects.filter(status="refused").exclude(reason="").count()
        == Referral.objects.filter(status="refused").count()
    )
    assert demo_populate(seed=3) == {}
