"""Who sees what in jobs (scope matrix for the main entities)."""

import pytest

from gongyou.accounts.policies import actor_for
from gongyou.jobs import services
from gongyou.jobs.policies import (
    referrals_visible_to,
    vacancies_visible_to,
    vacancy_can_see_candidates,
)
from gongyou.jobs.tests.factories import make_vacancy

pytestmark = pytest.mark.django_db


def test_drafts_stay_in_region_and_published_are_national(make_user, admin_actor, employer):
    draft = make_vacancy(actor=admin_actor, employer=employer, publish=False)
    published = make_vacancy(actor=admin_actor, employer=employer)
    bj = actor_for(make_user("employment_officer", org="bj"))
    sz = actor_for(make_user("programme_officer", org="sz"))
    assert set(vacancies_visible_to(bj)) == {published}
    assert set(vacancies_visible_to(sz)) == {draft, published}
    handler = actor_for(make_user("case_handler", org="sz"))
    assert not vacancies_visible_to(handler).exists()


def test_referrals_follow_vacancy_or_worker_scope(make_user, admin_actor, vacancy, worker):
    referral = services.referral_create(actor=admin_actor, vacancy=vacancy, worker=worker)
    assert list(referrals_visible_to(actor_for(make_user("analyst", org="gd")))) == [referral]
    assert not referrals_visible_to(actor_for(make_user("analyst", org="bj"))).exists()


def test_station_staff_refer_but_analysts_do_not(make_user, station_factory, vacancy, worker):
    station = station_factory()
    staff = actor_for(make_user("station_staff", org="sz", station=station))
    assert services.referral_create(actor=staff, vacancy=vacancy, worker=worker)
    analyst = actor_for(make_user("analyst", org="sz"))
    from gongyou.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.referral_create(actor=analyst, vacancy=vacancy, worker=worker)
    assert vacancy_can_see_candidates(analyst)
