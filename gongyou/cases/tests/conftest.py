import pytest

from gongyou.cases.tests.factories import make_case
from gongyou.employers.tests.factories import make_employer


@pytest.fixture
def home(station_factory):
    return station_factory(name="南山驿站")


@pytest.fixture
def worker(worker_factory):
    return worker_factory(current_region="440305")


@pytest.fixture
def employer(admin_actor):
    return make_employer(actor=admin_actor)


@pytest.fixture
def case_factory(admin_actor, worker, employer, home):
    def make(actor=None, **overrides):
        overrides.setdefault("workers", [worker])
        overrides.setdefault("employers", [employer])
        overrides.setdefault("intake_station_id", home.pk)
        return make_case(actor=actor or admin_actor, **overrides)

    return make


@pytest.fixture(autouse=True)
def _attachments_dir(settings, tmp_path):
    """Each test stores evidence in its own empty folder."""
    settings.CASE_ATTACHMENTS_DIR = tmp_path / "attachments"
