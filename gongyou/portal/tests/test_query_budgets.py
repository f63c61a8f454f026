"""Portal pages stay fast on a slow phone: a handful of queries whatever the worker's history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongyou.cases.services import case_file_by_worker
from gongyou.portal.policies import PortalPrincipal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "budget"),
    [("portal:home", 10), ("portal:cases", 8), ("portal:profile", 8), ("portal:my_data", 10)],
)
def test_pages_keep_their_query_budget(
    name, budget, signed_in, sz_worker, orgs, django_assert_max_num_queries
):
    client, account = signed_in(sz_worker)
    for i in range(6):
        case_file_by_worker(
            worker=sz_worker,
            principal=PortalPrincipal(account_id=account.pk, worker_id=sz_worker.pk),
            data={"type": "wage_arrears", "summary": f"拖欠工资 {i}", "region": "440306"},
        )
    client.get(reverse(name))  # warm the region cache
    with django_assert_max_num_queries(budget):
        assert client.get(reverse(name)).status_code == 200
