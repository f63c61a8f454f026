"""Station pages: network list and map-free "near me", station detail with today's visits,
create/edit for managers, and the front desk where staff log a visit in a few keystrokes.

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
need no handling here: core's ApplicationErrorMiddleware turns them into the 404 and 403 pages.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.policies import Actor, Capability, actor_for
from gongyou.accounts.selectors import organisation_list
from gongyou.core.errors import Conflict, NotFound, ValidationFailed
from gongyou.core.htmx import list_query, template_for
from gongyou.regions.selectors import region_label
from gongyou.workers.selectors import worker_get, worker_list

from .enums import ServiceType
from .forms import StationFilterForm, StationForm, front_desk_filter, station_initial
from .models import Station
from .policies import station_require_can_manage
from .selectors import (
    StationFilter,
    VisitFilter,
    station_day_summary,
    station_get,
    station_list,
    station_list_near,
    visit_list,
)
from .services import station_create, station_update, visit_log

PAGE_SIZE = 50
SEARCH_RESULTS = 8
WORKER_VISITS = 20
SHORTCUT_KEYS = 9
SESSION_STATION = "front_desk_station_id"


def _service_labels(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, str(ServiceType(code).label)) for code in codes if code in ServiceType.values]


def _today(station: Station) -> dict[str, Any]:
    """Today's visits at a station: counts for each service it offers (and any other logged)."""
    summary = station_day_summary(station=station)
    counts: dict[str, int] = summary["counts"]  # type: ignore[assignment]
    codes = list(station.services or []) + [c for c in counts if c not in (station.services or [])]
    return {
        "station": station,
        "summary": summary,
        "service_counts": [(label, counts.get(code, 0)) for code, label in _service_labels(codes)],
    }


# --- network --------------------------------------------------------------------------------


@login_required
@require_GET
def station_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = StationFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = StationFilter(
        region=data.get("region") or None,
        type=data.get("type") or None,
        service=data.get("service") or None,
        q=data.get("q") or None,
    )
    context: dict[str, Any] = {"form": form, "near": False}
    if data.get("lat") is not None and data.get("lng") is not None:
        found = station_list_near(actor=actor, lat=data["lat"], lng=data["lng"], filters=filters)
        context.update(
            near=True,
            rows=[
                (s, region_label(s.region_id), _service_labels(s.services), km) for s, km in found
            ],
        )
    else:
        page = Paginator(station_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(
            page=page,
            rows=[(s, region_label(s.region_id), _service_labels(s.services), None) for s in page],
            export_query=list_query(request.GET, kind="stations", drop=("lat", "lng")),
        )
    template = template_for(request, "stations/list.html", "results")
    return render(request, template, context)


@login_required
@require_GET
def station_detail_page(request: HttpRequest, station_id: int) -> HttpResponse:
    station = station_get(actor=actor_for(request.user), station_id=station_id)
    context = _today(station) | {
        "region": region_label(station.region_id),
        "services": _service_labels(station.services),
    }
    return render(request, "stations/detail.html", context)


@login_required
@never_cache
@require_GET
def station_today(request: HttpRequest, station_id: int) -> HttpResponse:
    station = station_get(actor=actor_for(request.user), station_id=station_id)
    return render(
        request,
        "stations/today.html",
        _today(station) | {"compact": request.GET.get("compact") == "1"},
    )


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _organisations(actor: Actor) -> list[tuple[Any, str]]:
    return [(o.pk, str(o)) for o in organisation_list(actor=actor)[:500]]


@login_required
@require_http_methods(["GET", "POST"])
def station_create_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    station_require_can_manage(actor)
    form = StationForm(
        request.POST or None,
        organisations=_organisations(actor),
        initial={"organisation": actor.organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            station = station_create(actor=actor, data=form.service_data())
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Station “%(name)s” created.") % {"name": station.name})
            return redirect("stations:detail", station_id=station.pk)
    return render(request, "stations/form.html", {"form": form, "station": None})


@login_required
@require_http_methods(["GET", "POST"])
def station_edit_page(request: HttpRequest, station_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    station = station_get(actor=actor, station_id=station_id)
    station_require_can_manage(actor, station)
    form = StationForm(
        request.POST or None,
        organisations=_organisations(actor),
        editing=True,
        initial=station_initial(station),
    )
    if request.method == "POST" and form.is_valid():
        try:
            station_update(actor=actor, station=station, data=form.service_data())
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("stations:detail", station_id=station.pk)
    return render(request, "stations/form.html", {"form": form, "station": station})


@login_required
@require_GET
def worker_visits(request: HttpRequest, worker_id: int) -> HttpResponse:
    """The latest visits of one worker, loaded into the worker's page (workers may not import stations)."""
    actor = actor_for(request.user)
    worker = worker_get(actor=actor, worker_id=worker_id)
    visits = visit_list(actor=actor, filters=VisitFilter(worker_id=worker.pk))[:WORKER_VISITS]
    template = template_for(request, "stations/worker_visits.html", "visits")
    return render(request, template, {"worker": worker, "visits": visits})


# --- front desk -----------------------------------------------------------------------------


def _desk_station(request: HttpRequest, actor: Actor) -> Station | None:
    """The actor's own station if they are bound to it, else the one chosen in this session."""
    if actor.is_station_bound:
        return station_get(actor=actor, station_id=actor.station_id)  # type: ignore[arg-type]
    chosen = request.session.get(SESSION_STATION) or actor.station_id
    if not chosen:
        return None
    try:
        return station_get(actor=actor, station_id=chosen)
    except NotFound:
        request.session.pop(SESSION_STATION, None)
        return None


def _desk_context(station: Station, **extra: Any) -> dict[str, Any]:
    services = _service_labels(list(station.services or []) or ServiceType.values)
    return (
        _today(station)
        | {
            "services": [
                (code, label, i + 1 if i < SHORTCUT_KEYS else None)
                for i, (code, label) in enumerate(services)
            ],
            "idempotency_key": uuid.uuid4().hex,
        }
        | extra
    )


@login_required
@never_cache
@require_GET
def front_desk_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    actor.require(Capability.LOG_VISITS)
    station = _desk_station(request, actor)
    if station is None or request.GET.get("change"):
        q = request.GET.get("q", "").strip()
        stations = station_list(actor=actor, filters=StationFilter(q=q or None))[:200]
        return render(
            request,
            "stations/front_desk_pick.html",
            {"stations": stations, "q": q, "current": station},
        )
    return render(request, "stations/front_desk.html", _desk_context(station))


@login_required
@require_POST
def front_desk_choose(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    actor.require(Capability.LOG_VISITS)
    station = station_get(actor=actor, station_id=_int(request.POST.get("station")))
    request.session[SESSION_STATION] = station.pk
    return redirect("stations:front_desk")


@login_required
@never_cache
@require_POST
def front_desk_search(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    q = request.POST.get("q", "").strip()[:50]
    filters = front_desk_filter(q)
    results = list(worker_list(actor=actor, filters=filters)[:SEARCH_RESULTS]) if filters else []
    rows = [(w, region_label(w.current_region_id)) for w in results]
    return render(
        request,
        "stations/front_desk.html#results",
        {"q": q, "rows": rows, "incomplete": bool(q) and filters is None},
    )


@login_required
@never_cache
@require_POST
def front_desk_log(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    actor.require(Capability.LOG_VISITS)
    station = _desk_station(request, actor)
    if station is None:
        return redirect("stations:front_desk")
    post = request.POST
    if not post.get("service"):  # "Find" or a picked worker, posted without JavaScript
        return _desk_without_js(request, station)
    extra: dict[str, Any] = {}
    try:
        visit, created = visit_log(
            actor=actor,
            station_id=station.pk,
            service=post.get("service"),
            worker_id=post.get("worker_id") or None,
            idempotency_key=post.get("idempotency_key"),
        )
    except (ValidationFailed, Conflict) as exc:
        extra = {
            "error": exc,
            "worker_id": post.get("worker_id", ""),
            "worker_label": post.get("worker_label", ""),
        }
    else:
        extra = {"saved": visit, "created": created, "saved_at": timezone.localtime(visit.at)}
    template = template_for(request, "stations/front_desk.html", "panel")
    return render(request, template, _desk_context(station, **extra))


def _desk_without_js(request: HttpRequest, station: Station) -> HttpResponse:
    """Find and pick a worker by posting the form (the path without front_desk.js)."""
    actor = actor_for(request.user)
    pick = request.POST.get("pick", "")
    if pick:
        worker = worker_get(actor=actor, worker_id=_int(pick))
        extra = {
            "worker_id": worker.pk,
            "worker_label": f"{worker.name} {worker.national_id_masked}",
        }
    else:
        q = request.POST.get("q", "").strip()[:50]
        filters = front_desk_filter(q)
        found = worker_list(actor=actor, filters=filters)[:SEARCH_RESULTS] if filters else []
        extra = {
            "q": q,
            "rows": [(w, region_label(w.current_region_id)) for w in found],
            "incomplete": bool(q) and filters is None,
        }
    template = template_for(request, "stations/front_desk.html", "panel")
    return render(request, template, _desk_context(station, **extra))
