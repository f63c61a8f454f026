"""Jobs for me: open vacancies ranked for the worker, and applying (a referral in the
employment officers' queue)."""

import pytest
from django.test import Client
from django.urls import reverse

from gongyou.accounts.policies import actor_for
from gongyou.employers.services import employer_set_arrears_flag
from gongyou.employers.tests.factories import make_employer
from gongyou.jobs.models import Referral
from gongyou.jobs.selectors import referral_list
from gongyou.jobs.tests.factories import make_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(admin_actor):
    return make_employer(actor=admin_actor)


def test_jobs_for_me_and_apply(signed_in, worker_factory, admin_actor, employer, make_user):
    me = worker_factory(current_region="440305", occupation="6-29-01-04")
    other = worker_factory(current_region="440305", occupation="6-29-01-04")
    vacancy = make_vacancy(actor=admin_actor, employer=employer, title="钢筋工A")
    make_vacancy(actor=admin_actor, employer=employer, title="焊工C", occupation="6-18-02-04")
    make_vacancy(actor=admin_actor, employer=employer, title="草稿", publish=False)
    client, _ = signed_in(me)
    page = client.get(reverse("portal:jobs")).content.decode()
    assert "钢筋工A" in page and "焊工C" not in page and "草稿" not in page
    assert "Same occupation." in page and "Match " in page  # the explanation words
    url = reverse("portal:jobs_apply", args=[vacancy.pk])
    assert f'action="{url}"' in page and 'aria-label="Apply for 钢筋工A"' in page
    assert client.get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(url).status_code == 403
    page = client.post(url, follow=True).content.decode()
    assert "You applied for “钢筋工A”" in page
    referral = Referral.objects.get(vacancy=vacancy)
    assert referral.worker_id == me.pk and referral.source == "application"
    assert "My applications and referrals" in page and "Application by the worker" in page
    assert f'action="{url}"' not in page
    officer = actor_for(make_user("employment_officer", org="sz"))
    assert referral in referral_list(actor=officer)  # in the officers' queue
    page = client.post(url, follow=True).content.decode()
    assert "You have already applied for this job" in page
    assert Referral.objects.filter(vacancy=vacancy).count() == 1
    # The other worker does not see my application.
    other_client, _ = signed_in(other)
    page = other_client.get(reverse("portal:jobs")).content.decode()
    assert "My applications and referrals" not in page and f'action="{url}"' in page
    # An employer flagged for wage arrears: left out, and applying is refused in plain words.
    employer_set_arrears_flag(actor=admin_actor, employer=employer, flagged=True, reason="欠薪")
    page = other_client.get(reverse("portal:jobs")).content.decode()
    assert "钢筋工A" not in page and "No open job fits your occupations" in page
    response = other_client.post(url, follow=True)
    assert response.status_code == 200
    assert not Referral.objects.filter(worker=other).exists()
    assert 'class="error"' in response.content.decode()


def test_unknown_or_draft_vacancy_is_not_found(signed_in, worker_factory, admin_actor, employer):
    draft = make_vacancy(actor=admin_actor, employer=employer, publish=False)
    client, _ = signed_in(worker_factory(current_region="440305"))
    assert client.post(reverse("portal:jobs_apply", args=[draft.pk])).status_code == 404
    assert client.post(reverse("portal:jobs_apply", args=[999999])).status_code == 404
