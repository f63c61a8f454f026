"""The demo set is created through the services and only once."""

import pytest

from gongyou.publicservices.demo import demo_populate
from gongyou.publicservices.models import Activity, ActivityRegistration, FamilyMember, Referral

pytestmark = pytest.mark.django_db


def test_demo_populates_once(admin, worker_factory):
    for i in range(12):
        w = worker_factory(current_region="440305" if i < 10 else "310115")
        w.birth_date = w.birth_date.replace(year=1985)
        w.save(update_fields=["birth_date"])
    result = demo_populate(seed=3)
    assert result["family_members"] == FamilyMember.objects.count() > 0
    assert result["referrals"] == Referral.objects.count() > 0
    assert (
        Referral.objects.filter(status="refused").exclude(reason="").count()
        == Referral.objects.filter(status="refused").count()
    )
    # Activities: one held (8 registered: 6 attended, 2 absent, 4 rated), a children's class,
    # a family day with 5 places and 2 waiting, a draft.
    assert result["activities"] == Activity.objects.count() == 4
    assert dict(Activity.objects.values_list("kind", "status")) == {
        "city_orientation": "held",
        "childcare_class": "open",
        "family_day": "open",
        "cultural_event": "draft",
    }
    held = ActivityRegistration.objects.filter(activity__kind="city_orientation")
    assert held.filter(status="attended").count() == 6 and held.filter(status="absent").count() == 2
    assert held.exclude(rating=None).count() == 4
    family = ActivityRegistration.objects.filter(activity__kind="family_day")
    assert family.filter(status="registered").count() == 5
    assert family.filter(status="waitlisted").count() == 2
    children = ActivityRegistration.objects.filter(activity__kind="childcare_class")
    assert all(r.family_member_id for r in children)
    assert result["activity_registrations"] == ActivityRegistration.objects.count()
    assert demo_populate(seed=3) == {}
