import pytest

from gongyou.employers.tests.factories import make_employer
from gongyou.jobs.tests.factories import make_vacancy


@pytest.fixture
def employer(admin_actor):
    return make_employer(actor=admin_actor)


@pytest.fixture
def vacancy(admin_actor, employer):
    return make_vacancy(actor=admin_actor, employer=employer)


@pytest.fixture
def worker(worker_factory):
    return worker_factory(current_region="440305", occupation="6-29-01-04")
