"""Where can I settle: the settlement engine's answer for the worker's own record."""

import pytest
from django.urls import reverse

from gongyou.regions.selectors import region_label
from gongyou.settlement import services

pytestmark = pytest.mark.django_db


def test_where_can_i_settle_shows_my_own_answer(signed_in, worker_factory, admin_actor):
    me = worker_factory(current_region="440106", hukou_region="510104")
    services.history_save_batch(
        actor=admin_actor,
        worker=me,
        contributions=[{"city": "440100", "kind": "pension", "start": "2021-01-01"}],
        residences=[
            {"city": "440100", "start": "2021-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    other = worker_factory(current_region="110105", hukou_region="130102")
    client, _account = signed_in(me)
    response = client.get(reverse("portal:settlement"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your current city" in page and "广州市" in page
    assert "Route" in page and "Points-based" in page  # Guangzhou 2024 round
    assert "Not met yet" in page and "Missing" in page and "points missing" in page
    assert "Met" in page and "Policy" in page and "Source" in page
    assert "[S] Secondary source" in page  # the policy's trust tag (Guangzhou: secondary)
    assert "Other cities for you" in page
    assert region_label(me.hukou_region_id) in page
    assert region_label(other.hukou_region_id) not in page  # nothing about the other worker
    assert "<table" not in page and len(response.content) < 40_000  # phone-sized


def test_living_in_the_hukou_city(signed_in, worker_factory):
    me = worker_factory(current_region="510104", hukou_region="510104")
    client, _ = signed_in(me)
    page = client.get(reverse("portal:settlement")).content.decode()
    assert "You live in your hukou city" in page


def test_settlement_and_jobs_are_on_the_home_page(signed_in, worker_factory):
    client, _ = signed_in(worker_factory(current_region="440305"))
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:settlement") in page and reverse("portal:jobs") in page
    anonymous = client.__class__()
    assert anonymous.get(reverse("portal:settlement")).status_code == 302
    assert anonymous.get(reverse("portal:jobs")).status_code == 302
