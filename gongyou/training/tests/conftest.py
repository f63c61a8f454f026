import pytest

from gongyou.accounts.policies import actor_for
from gongyou.training.eligibility import seed_rules
from gongyou.training.models import EligibilityRule
from gongyou.training.tests.factories import make_course, make_provider


@pytest.fixture
def provider(orgs):
    return make_provider(parent=orgs["sz"])


@pytest.fixture
def other_provider(orgs):
    return make_provider(name="北京朝阳技工培训中心", region="110105", parent=orgs["bj"])


@pytest.fixture
def officer(make_user):
    return make_user("programme_officer", org="sz")


@pytest.fixture
def officer_actor(officer):
    return actor_for(officer)


@pytest.fixture
def provider_user(make_user, provider, orgs):
    orgs["prov"] = provider
    return make_user("programme_officer", org="prov")


@pytest.fixture
def provider_actor(provider_user):
    return actor_for(provider_user)


@pytest.fixture
def course(provider_actor):
    return make_course(actor=provider_actor)


@pytest.fixture
def worker(worker_factory):
    return worker_factory(current_region="440305")


@pytest.fixture
def rules(db):
    seed_rules(EligibilityRule)
    return EligibilityRule.objects.all()
