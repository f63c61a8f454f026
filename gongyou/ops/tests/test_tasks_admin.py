import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongyou.core.models import AuditEvent
from gongyou.testing import transactional_apps

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def failed_result() -> DBTaskResult:
    from django_tasks_db.models import get_date_max

    return DBTaskResult.objects.create(
        status="FAILED",
        args_kwargs={"args": ["2026-11-30"], "kwargs": {}},
        task_path="gongyou.cases.tasks.cases_daily",
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        priority=0,
        exception_class_path="builtins.RuntimeError",
        traceback="Traceback: boom",
        finished_at=timezone.now(),
    )


@pytest.mark.django_db(
    transaction=True, available_apps=transactional_apps()
)  # worker closes connections
def test_worker_command_runs_queued_tasks():
    from gongyou.cases.tasks import cases_daily

    with override_settings(TASKS=DB_TASKS):  # django-tasks re-reads TASKS on setting_changed
        result = cases_daily.enqueue("2026-11-30")
        assert DBTaskResult.objects.get(pk=result.id).status == "READY"
        call_command("worker", "--batch", "--interval", "0")
        assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def test_admin_sees_failures_and_retries(make_user):
    result = failed_result()
    c = Client()
    c.force_login(make_user("system_admin", org="national"))
    listing = c.get("/ops/tasks/", {"status": "FAILED"}).content.decode()
    assert "gongyou.cases.tasks.cases_daily" in listing
    detail = c.get(f"/ops/tasks/{result.pk}/").content.decode()
    assert "boom" in detail
    assert c.post(f"/ops/tasks/{result.pk}/retry/").status_code == 302
    assert AuditEvent.objects.filter(action="task.retry", entity_id=str(result.pk)).exists()
    assert c.get("/ops/tasks/not-a-uuid/").status_code == 404


def test_only_system_admins_see_tasks(make_user):
    failed_result()
    c = Client()
    c.force_login(make_user("org_admin"))
    assert c.get("/ops/tasks/").status_code == 403
