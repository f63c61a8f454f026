import pytest
from django.test import Client

from gongyou.accounts.policies import actor_for
from gongyou.exports import services
from gongyou.exports.models import ExportJob


@pytest.fixture(autouse=True)
def _exports_dir(settings, tmp_path):
    """Each test writes its exports into its own empty folder."""
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.fixture
def sz_worker(worker_factory):
    return worker_factory(name="李深圳", current_region="440305", hukou_region="440305")


@pytest.fixture
def bj_worker(worker_factory):
    return worker_factory(
        name="王北京", current_region="110105", hukou_region="110105", id_region="110105"
    )


@pytest.fixture
def handler(make_user):
    """A Shenzhen case handler: may reveal ID numbers and phones."""
    return make_user("case_handler", org="sz")


@pytest.fixture
def analyst(make_user):
    """A Shenzhen analyst: sees workers, may reveal nothing."""
    return make_user("analyst", org="sz")


@pytest.fixture
def run_export(django_capture_on_commit_callbacks):
    """Create a job as `user` and run it the way the task worker would (ImmediateBackend)."""

    def run(user, **kwargs):
        kwargs.setdefault("kind", "workers")
        kwargs.setdefault("format", "csv")
        with django_capture_on_commit_callbacks(execute=True):
            job = services.export_create(actor=actor_for(user), **kwargs)
        return ExportJob.objects.get(pk=job.pk)

    return run


def client_as(user):
    c = Client()
    c.force_login(user)
    return c
