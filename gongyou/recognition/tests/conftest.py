import pytest

from gongyou.accounts.policies import actor_for
from gongyou.recognition.tests.factories import give_quota, make_round


@pytest.fixture(autouse=True)
def _evidence_dir(settings, tmp_path):
    """Each test stores evidence in its own empty folder."""
    settings.RECOGNITION_EVIDENCE_DIR = tmp_path / "recognition-evidence"


@pytest.fixture
def organiser(make_user):
    """A programme officer of the Guangdong federation, which organises the provincial round."""
    return make_user("programme_officer", org="gd")


@pytest.fixture
def nominator(make_user):
    """A programme officer of the Shenzhen federation, which nominates."""
    return make_user("programme_officer", org="sz")


@pytest.fixture
def award_round(organiser, orgs):
    award_round = make_round(actor=actor_for(organiser))
    give_quota(actor=actor_for(organiser), award_round=award_round, organisation=orgs["sz"])
    return award_round


@pytest.fixture
def worker(worker_factory):
    return worker_factory(name="王强", current_region="440305")
