"""The worker's own "where can I settle" (the worker portal): eligibility_ranking_for_worker."""

from __future__ import annotations

import pytest

from gongyou.core.errors import NotFound
from gongyou.settlement import selectors

from .conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def mover(worker_factory, history):
    w = worker_factory(current_region="440106", hukou_region="510104")
    history(
        w,
        contributions=[
            {"city": "310100", "kind": "pension", "start": "2015-01-01", "end": "2018-12-31"},
            {"city": "440100", "kind": "pension", "start": "2021-01-01"},
        ],
        residences=[
            {"city": "440100", "start": "2021-01-01", "tenure": "rented", "permit_held": True}
        ],
    )
    return w


def test_same_answer_as_the_staff_ranking(mover, admin_actor):
    staff = selectors.eligibility_ranking(actor=admin_actor, worker_id=mover.pk, day=DAY)
    own = selectors.eligibility_ranking_for_worker(worker=mover, day=DAY)
    assert own["answers"] == staff["answers"]
    assert own["current"]["city"] == "440100" and own["current"]["worker_id"] == mover.pk
    assert own["current"]["policy"]["source"] and own["current"]["policy"]["trust"]
    assert [a["city"] for a in own["top"]] == [
        a["city"] for a in staff["answers"] if a["city"] != "440100"
    ]


def test_limit_keeps_the_current_city_and_the_best_others(mover):
    own = selectors.eligibility_ranking_for_worker(worker=mover, day=DAY, limit=2)
    assert own["current"]["city"] == "440100"
    assert len(own["top"]) == 2 and all(a["city"] != "440100" for a in own["top"])


def test_living_in_the_hukou_city_has_no_current_answer(worker_factory):
    w = worker_factory(current_region="510104", hukou_region="510104")
    own = selectors.eligibility_ranking_for_worker(worker=w, day=DAY, limit=3)
    assert own["current"] is None
    assert "510100" not in [a["city"] for a in own["top"]]


def test_merged_record_is_refused(mover, worker_factory):
    survivor = worker_factory()
    mover.merged_into = survivor
    mover.save(update_fields=["merged_into"])
    with pytest.raises(NotFound):
        selectors.eligibility_ranking_for_worker(worker=mover, day=DAY)
