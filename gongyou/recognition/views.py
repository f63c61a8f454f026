"""Recognition pages: rounds (list, open, detail with quotas and nominations, the public notice
list), nominating, and the nomination page (review decisions, evidence, objections, timeline).

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
need no handling here: core's ApplicationErrorMiddleware turns them into the 404 and 403 pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.models import Organisation
from gongyou.accounts.policies import Actor, actor_for, region_prefix
from gongyou.core.errors import ApplicationError, Conflict, ValidationFailed
from gongyou.core.htmx import template_for
from gongyou.regions.selectors import region_label, region_range_q
from gongyou.workers.selectors import WorkerFilter, worker_list

from . import selectors, services
from .enums import EDITABLE, TRANSITIONS, NominationStatus, ObjectionStatus, Party
from .forms import (
    EvidenceForm,
    NominationEditForm,
    NominationFilterForm,
    NominationForm,
    NominationTransitionForm,
    ObjectionForm,
    ObjectionHandleForm,
    QuotaForm,
    RoundEditForm,
    RoundFilterForm,
    RoundForm,
)
from .models import AwardRound, Nomination
from .policies import (
    NOMINATE_ROLES,
    ORGANISE_ROLES,
    nomination_parties,
    round_require_can_organise,
)

PAGE_SIZE = 50
SEARCH_RESULTS = 10


def _is_organiser(actor: Actor, award_round: AwardRound) -> bool:
    return bool(actor.roles & ORGANISE_ROLES) and (
        award_round.organiser_id == actor.organisation_id or "system_admin" in actor.roles
    )


@login_required
@require_GET
def round_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = RoundFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = selectors.RoundFilter(
        year=data.get("year") or None,
        award_type=data.get("award_type") or None,
        open=True if data.get("open") else None,
    )
    page = Paginator(selectors.round_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "rows": [(r, region_label(r.region_id)) for r in page.object_list],
        "can_create": bool(actor.roles & ORGANISE_ROLES) and actor.organisation_id is not None,
    }
    return render(request, template_for(request, "recognition/rounds.html", "results"), context)


@login_required
@require_http_methods(["GET", "POST"])
def round_create_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    round_require_can_organise(actor)  # the form only for those who may open a round
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award_round = services.round_create(actor=actor, data=form.cleaned_data)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Round opened. Now give the organisations their quotas."))
            return redirect("recognition:round", round_id=award_round.pk)
    return render(request, "recognition/round_form.html", {"form": form})


def _quota_organisations(award_round: AwardRound) -> list[tuple[int, str]]:
    qs = Organisation.objects.filter(is_active=True)
    area = region_prefix(award_round.region_id)
    if area:
        qs = qs.filter(region_range_q("region_id", area))
    return list(qs.order_by("region_id", "name").values_list("id", "name")[:500])


def _round_context(
    request: HttpRequest, actor: Actor, award_round: AwardRound, **forms: Any
) -> dict[str, Any]:
    organiser = _is_organiser(actor, award_round)
    filter_form = NominationFilterForm(request.GET)
    filter_form.is_valid()
    data = filter_form.cleaned_data
    migrant = {"yes": True, "no": False}.get(data.get("migrant") or "")
    nominations = selectors.nomination_list(
        actor=actor,
        filters=selectors.NominationFilter(
            round_id=award_round.pk,
            status=data.get("status") or None,
            migrant=migrant,
            name=data.get("name") or None,
        ),
    )
    page = Paginator(nominations, PAGE_SIZE).get_page(request.GET.get("page"))
    usage = selectors.round_quota_usage(award_round=award_round)
    own = next((q for q in usage if q.organisation_id == actor.organisation_id), None)
    edit_initial = {
        "title": award_round.title,
        "nominations_close_on": award_round.nominations_close_on,
        "notice_starts_on": award_round.notice_starts_on or "",
        "notice_ends_on": award_round.notice_ends_on or "",
        "notes": award_round.notes,
        "version": award_round.version,
    }
    return {
        "round": award_round,
        "region": region_label(award_round.region_id),
        "is_organiser": organiser,
        "usage": usage,
        "own_quota": own,
        "can_nominate": bool(actor.roles & NOMINATE_ROLES)
        and own is not None
        and award_round.concluded_at is None,
        "outcome": selectors.round_outcome(award_round=award_round, actor=actor),
        "filter_form": filter_form,
        "page": page,
        "edit_form": forms.get("edit_form") or RoundEditForm(initial=edit_initial),
        "quota_form": forms.get("quota_form")
        or QuotaForm(organisations=_quota_organisations(award_round) if organiser else []),
        "open_edit": "edit_form" in forms,
        "open_quota": "quota_form" in forms,
    }


@login_required
@require_GET
def round_detail_page(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    context = _round_context(request, actor, award_round)
    return render(request, template_for(request, "recognition/round.html", "nominations"), context)


@login_required
@require_POST
def round_edit_page(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    form = RoundEditForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.round_update(actor=actor, award_round=award_round, data=data, version=version)
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Round updated."))
            return redirect("recognition:round", round_id=round_id)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    context = _round_context(request, actor, award_round, edit_form=form)
    return render(request, "recognition/round.html", context)


@login_required
@require_POST
def round_quota_page(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    form = QuotaForm(request.POST, organisations=_quota_organisations(award_round))
    if form.is_valid():
        try:
            services.round_set_quota(
                actor=actor,
                award_round=award_round,
                organisation_id=form.cleaned_data["organisation_id"],
                quota=form.cleaned_data["quota"],
            )
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Quota saved."))
            return redirect("recognition:round", round_id=round_id)
    context = _round_context(request, actor, award_round, quota_form=form)
    return render(request, "recognition/round.html", context)


@login_required
@require_POST
def round_conclude_page(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    try:
        services.round_conclude(
            actor=actor, award_round=award_round, version=request.POST.get("version")
        )
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Round concluded."))
    return redirect("recognition:round", round_id=round_id)


@login_required
@require_GET
def round_notice_page(request: HttpRequest, round_id: int) -> HttpResponse:
    """The public notice list (公示名单), laid out for printing and posting."""
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    rows = [
        (n, region_label(n.region_id))
        for n in selectors.nomination_notice_list(actor=actor, award_round=award_round)
    ]
    return render(
        request,
        "recognition/notice.html",
        {"round": award_round, "rows": rows, "region": region_label(award_round.region_id)},
    )


def _worker_filter(q: str) -> WorkerFilter | None:
    digits = q.replace(" ", "")
    if len(digits) == 18 or (len(digits) == 15 and digits.isdigit()):
        return WorkerFilter(national_id=digits)
    if len(digits) == 11 and digits.isdigit():
        return WorkerFilter(phone=digits)
    if len(q) >= 2 and not any(c.isdigit() for c in q):
        return WorkerFilter(name=q)
    return None


@login_required
@never_cache
@require_GET
def worker_search(request: HttpRequest) -> HttpResponse:
    """Find the nominee in the registry: full ID number, mobile number, or name."""
    actor = actor_for(request.user)
    q = request.GET.get("worker_q", "").strip()[:50]
    filters = _worker_filter(q) if q else None
    found = list(worker_list(actor=actor, filters=filters)[:SEARCH_RESULTS]) if filters else []
    context = {
        "q": q,
        "rows": [(w, region_label(w.current_region_id)) for w in found],
        "incomplete": bool(q) and filters is None,
    }
    return render(request, "recognition/nominate.html#worker_results", context)


@login_required
@require_http_methods(["GET", "POST"])
def nominate_page(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    award_round = selectors.round_get(actor=actor, round_id=round_id)
    form = NominationForm(request.POST or None)
    chosen = None
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(
                actor=actor, award_round=award_round, data=form.cleaned_data
            )
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request,
                _("Nominated %(name)s. Add the evidence now.") % {"name": nomination.nominee_name},
            )
            return redirect("recognition:nomination", nomination_id=nomination.pk)
        wid = str(form.cleaned_data.get("worker_id") or "")
        if wid.isdigit():
            chosen = worker_list(actor=actor).filter(pk=int(wid)).first()
    return render(
        request,
        "recognition/nominate.html",
        {"round": award_round, "form": form, "chosen": chosen},
    )


def _nomination_context(actor: Actor, nomination: Nomination, **forms: Any) -> dict[str, Any]:
    parties = nomination_parties(actor, nomination)
    targets = [t for t, who in TRANSITIONS.get(nomination.status, {}).items() if parties & who]
    objections = list(selectors.nomination_objections(nomination=nomination))
    return {
        "nomination": nomination,
        "round": nomination.round,
        "region": region_label(nomination.region_id),
        "is_nominator": Party.NOMINATOR in parties,
        "is_organiser": Party.ORGANISER in parties,
        "can_edit": Party.NOMINATOR in parties and nomination.status in EDITABLE,
        "in_notice": nomination.status == NominationStatus.IN_NOTICE,
        "evidence": list(selectors.nomination_evidence(nomination=nomination)),
        "objections": [
            (
                o,
                ObjectionHandleForm(prefix=f"oh{o.pk}")
                if o.status == ObjectionStatus.OPEN
                else None,
            )
            for o in objections
        ],
        "events": list(selectors.nomination_events(nomination=nomination)),
        "transition_form": forms.get("transition_form")
        or (
            NominationTransitionForm(targets=targets, initial={"version": nomination.version})
            if targets
            else None
        ),
        "edit_form": forms.get("edit_form")
        or NominationEditForm(
            initial={
                "version": nomination.version,
                "nominee_unit": nomination.nominee_unit,
                "nominee_position": nomination.nominee_position,
                "justification": nomination.justification,
            }
        ),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "objection_form": forms.get("objection_form") or ObjectionForm(),
        "handle_error": forms.get("handle_error"),
        "open_edit": "edit_form" in forms,
    }


@login_required
@require_GET
def nomination_detail_page(request: HttpRequest, nomination_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    return render(request, "recognition/nomination.html", _nomination_context(actor, nomination))


def _nomination_change(
    request: HttpRequest,
    nomination_id: int,
    *,
    name: str,
    build: Callable[[Any, Nomination], Any],
    save: Callable[[Actor, Nomination, Any], object],
    done: str,
) -> HttpResponse:
    """Post one of the nomination page's forms: back to the page with `done`, or the page
    with the form's errors (a stale version shows the record as it is now)."""
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    form = build(request, nomination)
    if form.is_valid():
        try:
            save(actor, nomination, form.cleaned_data)
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, done)
            return redirect("recognition:nomination", nomination_id=nomination_id)
    fresh = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    return render(
        request, "recognition/nomination.html", _nomination_context(actor, fresh, **{name: form})
    )


def _targets(actor: Actor, nomination: Nomination) -> list[str]:
    parties = nomination_parties(actor, nomination)
    return [t for t, who in TRANSITIONS.get(nomination.status, {}).items() if parties & who]


@login_required
@require_POST
def nomination_transition_page(request: HttpRequest, nomination_id: int) -> HttpResponse:
    return _nomination_change(
        request,
        nomination_id,
        name="transition_form",
        build=lambda req, n: NominationTransitionForm(
            req.POST, targets=_targets(actor_for(req.user), n)
        ),
        save=lambda actor, n, d: services.nomination_transition(
            actor=actor,
            nomination=n,
            to_status=d["to_status"],
            reason=d["reason"],
            version=d["version"],
        ),
        done=_("Decision recorded."),
    )


@login_required
@require_POST
def nomination_edit_page(request: HttpRequest, nomination_id: int) -> HttpResponse:
    def save(actor: Actor, n: Nomination, d: dict[str, Any]) -> object:
        data = dict(d)
        version = data.pop("version", None)
        return services.nomination_update(actor=actor, nomination=n, data=data, version=version)

    return _nomination_change(
        request,
        nomination_id,
        name="edit_form",
        build=lambda req, n: NominationEditForm(req.POST),
        save=save,
        done=_("Nomination saved."),
    )


@login_required
@require_POST
def evidence_add_page(request: HttpRequest, nomination_id: int) -> HttpResponse:
    return _nomination_change(
        request,
        nomination_id,
        name="evidence_form",
        build=lambda req, n: EvidenceForm(req.POST, req.FILES),
        save=lambda actor, n, d: services.evidence_add(
            actor=actor,
            nomination=n,
            upload=d["file"],
            kind=d["kind"],
            description=d["description"],
        ),
        done=_("Evidence added."),
    )


@login_required
@never_cache
@require_GET
def evidence_download_page(
    request: HttpRequest, nomination_id: int, evidence_id: int
) -> FileResponse:
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    evidence, handle = services.evidence_open(
        actor=actor, nomination=nomination, evidence_id=evidence_id
    )
    response = FileResponse(handle, content_type=evidence.content_type, as_attachment=True)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(evidence.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def objection_add_page(request: HttpRequest, nomination_id: int) -> HttpResponse:
    return _nomination_change(
        request,
        nomination_id,
        name="objection_form",
        build=lambda req, n: ObjectionForm(req.POST),
        save=lambda actor, n, d: services.objection_record(
            actor=actor,
            nomination=n,
            content=d["content"],
            objector=d["objector"],
            received_on=d["received_on"] or None,
        ),
        done=_("Objection recorded."),
    )


@login_required
@require_POST
def objection_handle_page(
    request: HttpRequest, nomination_id: int, objection_id: int
) -> HttpResponse:
    actor = actor_for(request.user)
    nomination = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
    form = ObjectionHandleForm(request.POST, prefix=f"oh{objection_id}")
    form.is_valid()
    try:
        services.objection_handle(
            actor=actor,
            nomination=nomination,
            objection_id=objection_id,
            decision=form.cleaned_data.get("decision"),
            note=form.cleaned_data.get("note"),
        )
    except ApplicationError as exc:
        if not isinstance(exc, ValidationFailed | Conflict):
            raise
        fresh = selectors.nomination_get(actor=actor, nomination_id=nomination_id)
        context = _nomination_context(actor, fresh, handle_error=exc)
        return render(request, "recognition/nomination.html", context)
    messages.success(request, _("Objection handled."))
    return redirect("recognition:nomination", nomination_id=nomination_id)
