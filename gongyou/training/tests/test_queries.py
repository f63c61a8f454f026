"""Query budgets of the training lists and pages: they must not grow with the number of rows."""

import pytest

from gongyou.testing import api_client_for
from gongyou.training.services import enrolment_apply
from gongyou.training.tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [2, 12])
def test_course_and_enrolment_lists(
    n, provider_user, provider_actor, worker_factory, django_assert_max_num_queries
):
    papi = api_client_for(provider_user)
    papi.get("/api/v1/training/courses")  # the token's first use records last_used_at
    for i in range(n):
        course = make_course(actor=provider_actor, title=f"课程{i}")
        enrolment_apply(actor=provider_actor, course=course, worker_id=worker_factory().pk)
    # token+user+org, count, page
    with django_assert_max_num_queries(4):
        assert papi.get("/api/v1/training/courses", {"limit": 50}).json()["count"] == n
    with django_assert_max_num_queries(4):
        assert papi.get("/api/v1/training/enrolments", {"limit": 50}).json()["count"] == n
    with django_assert_max_num_queries(4):
        assert papi.get("/api/v1/training/claims").json()["count"] == 0
