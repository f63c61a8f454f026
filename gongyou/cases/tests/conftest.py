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


@pytest.fixture
def inspection(orgs):
    """Shenzhen's labour-inspection department: a partner department cases are referred to."""
    from gongyou.accounts.enums import OrganisationKind
    from gongyou.accounts.services import organisation_create

    return organisation_create(
        actor=None,
        name="深圳市劳动保障监察支队",
        kind=OrganisationKind.PARTNER_DEPARTMENT,
        department_type="human_resources",
        region_code="440300",
        parent=orgs["sz"],
    )


@pytest.fixture
def partner_user(make_user, inspection):
    """A user of the labour-inspection department (make_user puts users in union orgs)."""

    def make(role="case_handler"):
        user = make_user(role, org="sz")
        user.organisation = inspection
        user.save()
        return type(user).objects.get(pk=user.pk)

    return make
