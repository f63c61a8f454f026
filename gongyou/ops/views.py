"""Administration pages of operations: the background-task queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongyou.accounts.policies import actor_for

from .tasks_admin import STATUSES, TaskFilter, task_result_get, task_result_list, task_retry


@login_required
def task_list_page(request: HttpRequest) -> HttpResponse:
    f = TaskFilter(status=request.GET.get("status") or None, task=request.GET.get("task") or None)
    page = Paginator(task_result_list(actor=actor_for(request.user), filters=f), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "ops/tasks.html", {"page": page, "filters": f, "statuses": STATUSES})


@login_required
def task_detail_page(request: HttpRequest, result_id: str) -> HttpResponse:
    result = task_result_get(actor=actor_for(request.user), result_id=result_id)
    return render(request, "ops/task_detail.html", {"result": result})


@login_required
@require_POST
def task_retry_page(request: HttpRequest, result_id: str) -> HttpResponse:
    new_id = task_retry(actor=actor_for(request.user), result_id=result_id)
    messages.success(request, _("Task enqueued again."))
    return redirect("ops:task_detail", result_id=new_id)
