"""Settlement pages: a worker's histories and answer (with a printable version), and the policy
pages (list, detail with versions, draft/edit/publish, impact preview, city groups).

Thin: parse the request, call one selector or service, render. NotFound and PermissionDenied
become the 404 and 403 pages in core's middleware.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import Conflict, ValidationFailed
from gongyou.core.htmx import template_for
from gongyou.regions.selectors import region_label

from . import bulk, selectors, services
from .enums import FactKey, Purpose, VersionStatus
from .forms import (
    ContributionForm,
    EvaluateForm,
    FactForm,
    GroupForm,
    PolicyFilterForm,
    PolicyForm,
    ResidenceForm,
    TransitionForm,
    VersionForm,
)
from .models import PolicyVersion
from .policies import (
    groups_require_can_edit,
    history_can_edit,
    policy_can_edit,
    policy_require_can_create,
    policy_require_can_edit,
)

# -- a worker's settlement page ----------------------------------------------------------------


def _as_of(request: HttpRequest) -> tuple[EvaluateForm, dt.date, str | None]:
    form = EvaluateForm(request.GET or None)
    day, city = selectors.today(), None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data.get("as_of") or day
        city = (form.cleaned_data.get("city") or "").strip() or None
    return form, day, city


def _worker_context(request: HttpRequest, worker_id: int, **forms: Any) -> dict[str, Any]:
    actor = actor_for(request.user)
    worker = selectors.worker_for_settlement(actor=actor, worker_id=worker_id)
    evaluate_form, day, city = _as_of(request)
    ranking = selectors.eligibility_ranking(actor=actor, worker_id=worker.pk, day=day)
    chosen = None
    if city:
        try:
            chosen = selectors.eligibility_for_city(
                actor=actor, worker_id=worker.pk, city=city, day=day
            )
        except ValidationFailed as exc:
            evaluate_form.add_error("city", exc.fields["city"]["message"])
    answers = ranking["answers"]
    return {
        "worker": worker,
        "hukou_label": region_label(worker.hukou_region_id),
        "current_label": region_label(worker.current_region_id),
        "summary": selectors.history_summary(worker=worker, day=day),
        "contributions": selectors.contribution_list(worker=worker).select_related("city"),
        "residences": selectors.residence_list(worker=worker).select_related("city"),
        "facts": selectors.declared_facts(worker=worker),
        "can_edit": history_can_edit(actor),
        "contribution_form": forms.get("contribution_form") or ContributionForm(),
        "residence_form": forms.get("residence_form") or ResidenceForm(),
        "fact_form": forms.get("fact_form") or FactForm(),
        "evaluate_form": evaluate_form,
        "as_of": day,
        "chosen": chosen,
        "answers": [a for a in answers if a["outcome"] != "no_policy"],
        "no_policy": [a for a in answers if a["outcome"] == "no_policy"],
        "services": ranking["services"],
        "open": forms.get("open", ""),
    }


@login_required
@require_GET
def worker_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    context = _worker_context(request, worker_id)
    return render(request, template_for(request, "settlement/worker.html", "answers"), context)


def _spell_post(request: HttpRequest, worker_id: int, kind: str) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_settlement(actor=actor, worker_id=worker_id)
    form_class = ContributionForm if kind == "contribution" else ResidenceForm
    form = form_class(request.POST)
    if form.is_valid():
        add = services.contribution_add if kind == "contribution" else services.residence_add
        try:
            add(actor=actor, worker=worker, data=form.cleaned_data)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("settlement:worker", worker_id=worker.pk)
    context = _worker_context(request, worker_id, **{f"{kind}_form": form, "open": kind})
    return render(request, "settlement/worker.html", context, status=422)


@login_required
@require_POST
def contribution_add_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    return _spell_post(request, worker_id, "contribution")


@login_required
@require_POST
def residence_add_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    return _spell_post(request, worker_id, "residence")


def _spell_edit(request: HttpRequest, worker_id: int, spell_id: int, kind: str) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_settlement(actor=actor, worker_id=worker_id)
    if kind == "contribution":
        spell: Any = selectors.contribution_get(worker=worker, spell_id=spell_id)
        form_class: Any = ContributionForm
        update: Any = services.contribution_update
        initial = {
            "city": spell.city_id,
            "kind": spell.kind,
            "start": spell.start,
            "end": spell.end,
            "note": spell.note,
        }
    else:
        spell = selectors.residence_get(worker=worker, spell_id=spell_id)
        form_class = ResidenceForm
        update = services.residence_update
        initial = {
            "city": spell.city_id,
            "start": spell.start,
            "end": spell.end,
            "tenure": spell.tenure,
            "permit_held": spell.permit_held,
            "note": spell.note,
        }
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update(
                actor=actor,
                worker=worker,
                spell_id=spell.pk,
                data=form.cleaned_data,
                version=int(request.POST.get("version") or 0),
            )
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("settlement:worker", worker_id=worker.pk)
    return render(
        request,
        "settlement/spell_form.html",
        {"worker": worker, "spell": spell, "form": form, "kind": kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_edit_page(request: HttpRequest, worker_id: int, spell_id: int) -> HttpResponse:
    return _spell_edit(request, worker_id, spell_id, "contribution")


@login_required
@require_http_methods(["GET", "POST"])
def residence_edit_page(request: HttpRequest, worker_id: int, spell_id: int) -> HttpResponse:
    return _spell_edit(request, worker_id, spell_id, "residence")


@login_required
@require_POST
def contribution_delete_page(request: HttpRequest, worker_id: int, spell_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_settlement(actor=actor, worker_id=worker_id)
    services.contribution_delete(actor=actor, worker=worker, spell_id=spell_id)
    messages.success(request, _("Deleted."))
    return redirect("settlement:worker", worker_id=worker.pk)


@login_required
@require_POST
def residence_delete_page(request: HttpRequest, worker_id: int, spell_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_settlement(actor=actor, worker_id=worker_id)
    services.residence_delete(actor=actor, worker=worker, spell_id=spell_id)
    messages.success(request, _("Deleted."))
    return redirect("settlement:worker", worker_id=worker.pk)


@login_required
@require_POST
def fact_set_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    worker = selectors.worker_for_settlement(actor=actor, worker_id=worker_id)
    form = FactForm(request.POST)
    if form.is_valid():
        try:
            services.declared_fact_set(actor=actor, worker=worker, **form.cleaned_data)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("settlement:worker", worker_id=worker.pk)
    context = _worker_context(request, worker_id, fact_form=form, open="fact")
    return render(request, "settlement/worker.html", context, status=422)


@login_required
@require_GET
def answer_print_page(request: HttpRequest, worker_id: int) -> HttpResponse:
    """The answer on one page for the worker to take away: one city (?city=) or the ranking."""
    context = _worker_context(request, worker_id)
    return render(request, "settlement/answer_print.html", context)


# -- policies --------------------------------------------------------------------------------


@login_required
@require_GET
def policy_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    form = PolicyFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    policies = list(
        selectors.policy_list(
            actor=actor,
            filters=selectors.PolicyFilter(
                city=data.get("city") or None,
                purpose=data.get("purpose") or None,
                route=data.get("route") or None,
            ),
        )
    )
    in_force: dict[tuple[str, str], PolicyVersion] = {
        **{
            (c, Purpose.HUKOU): v
            for c, v in selectors.versions_in_force(purpose=Purpose.HUKOU).items()
        },
        **{
            (c, Purpose.SERVICES): v
            for c, v in selectors.versions_in_force(purpose=Purpose.SERVICES).items()
        },
    }
    rows = [(p, in_force.get((p.city_id, p.purpose))) for p in policies]
    context = {
        "form": form,
        "rows": rows,
        "can_create": policy_can_edit(actor, "") or bool(actor.roles & {"org_admin"}),
    }
    return render(request, template_for(request, "settlement/policy_list.html", "results"), context)


@login_required
@require_http_methods(["GET", "POST"])
def policy_create_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    policy_require_can_create(actor)  # the form only for those who may create a policy
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_create(actor=actor, **form.cleaned_data)
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Policy created. Now draft its first version."))
            return redirect("settlement:policy", policy_id=policy.pk)
    return render(request, "settlement/policy_form.html", {"form": form})


@login_required
@require_GET
def policy_detail_page(request: HttpRequest, policy_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    data = selectors.policy_read(actor=actor, policy_id=policy_id)
    return render(
        request,
        "settlement/policy_detail.html",
        {
            **data,
            "can_edit": policy_can_edit(actor, data["city_id"]),
            "city_label": region_label(data["city_id"]),
        },
    )


def _groups() -> list[tuple[str, str]]:
    return [(str(g.pk), g.name) for g in selectors.city_groups()]


@login_required
@require_GET
def version_detail_page(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    return render(
        request,
        "settlement/version_detail.html",
        {
            "v": version,
            "policy": version.policy,
            "can_edit": policy_can_edit(actor, version.policy.city_id),
            "group_cities": [region_label(c.code) for c in version.group.cities.all()]
            if version.group is not None
            else [],
            "facts": dict(FactKey.choices),
            "publish_form": TransitionForm(
                initial={"to_status": VersionStatus.PUBLISHED, "version": version.version}
            ),
            "withdraw_form": TransitionForm(
                initial={"to_status": VersionStatus.WITHDRAWN, "version": version.version}
            ),
        },
    )


@login_required
@require_POST
def version_new_page(request: HttpRequest, policy_id: int) -> HttpResponse:
    """Draft a new version as a copy of `?from=` (default: the latest)."""
    actor = actor_for(request.user)
    policy = selectors.policy_get(actor=actor, policy_id=policy_id)
    source_id = request.POST.get("copy_from")
    copy = selectors.version_get(actor=actor, version_id=int(source_id)) if source_id else None
    if copy is None and not policy.versions.exists():
        policy_require_can_edit(actor, policy.city_id)
        return redirect("settlement:version_first", policy_id=policy.pk)
    version = services.version_create(actor=actor, policy=policy, copy_from=copy)
    messages.success(
        request,
        _("Draft version %(n)s created: edit it, preview its impact, then publish.")
        % {"n": version.number},
    )
    return redirect("settlement:version_edit", version_id=version.pk)


@login_required
@require_http_methods(["GET", "POST"])
def version_first_page(request: HttpRequest, policy_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    policy = selectors.policy_get(actor=actor, policy_id=policy_id)
    policy_require_can_edit(actor, policy.city_id)
    form = VersionForm(request.POST or None, groups=_groups())
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_create(actor=actor, policy=policy, data=form.cleaned_data)
        except ValidationFailed as exc:
            form.add_service_error(exc)
        else:
            return redirect("settlement:version", version_id=version.pk)
    return render(
        request, "settlement/version_form.html", {"form": form, "policy": policy, "v": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_edit_page(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    policy_require_can_edit(actor, version.policy.city_id)
    initial = {f: getattr(version, f) for f in services.policy.VERSION_FIELDS if f != "group"}
    initial["group"] = str(version.group_id or "")
    form = VersionForm(request.POST or None, initial=initial, groups=_groups())
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(
                actor=actor,
                version=version,
                data=form.cleaned_data,
                expected_version=int(request.POST.get("version") or 0),
            )
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("settlement:version", version_id=version.pk)
    return render(
        request,
        "settlement/version_form.html",
        {"form": form, "policy": version.policy, "v": version},
    )


@login_required
@require_POST
def version_transition_page(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    version = selectors.version_get(actor=actor, version_id=version_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload and try again."))
        return redirect("settlement:version", version_id=version.pk)
    try:
        services.version_transition(
            actor=actor,
            version=version,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationFailed, Conflict) as exc:
        detail = " ".join(f["message"] for f in exc.fields.values())
        messages.error(request, f"{exc.message} {detail}".strip())
    else:
        messages.success(
            request,
            _("Version %(n)s is now %(s)s.")
            % {"n": version.number, "s": VersionStatus(form.cleaned_data["to_status"]).label},
        )
    return redirect("settlement:version", version_id=version.pk)


@login_required
@require_GET
def version_impact_page(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    version: PolicyVersion = selectors.version_get(actor=actor, version_id=version_id)
    impact = bulk.version_impact(actor=actor, version=version)
    return render(
        request,
        template_for(request, "settlement/version_detail.html", "impact"),
        {"impact": impact, "v": version, "policy": version.policy},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_list_page(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    groups = selectors.city_group_list(actor=actor)
    form = GroupForm(request.POST or None)
    can_edit = bool(actor.roles & {"system_admin"})
    if request.method == "POST":
        groups_require_can_edit(actor)
        if form.is_valid():
            try:
                services.city_group_save(actor=actor, data=form.cleaned_data)
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Group saved."))
                return redirect("settlement:groups")
    for g in groups:
        g["labels"] = [region_label(c) for c in g["cities"]]
    return render(
        request, "settlement/groups.html", {"groups": groups, "form": form, "can_edit": can_edit}
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit_page(request: HttpRequest, group_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    groups_require_can_edit(actor)
    group = selectors.city_group_get(group_id=group_id)
    current = selectors.city_group_read(group)
    form = GroupForm(
        request.POST or None, initial={**current, "cities": " ".join(current["cities"])}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.city_group_save(
                actor=actor,
                data=form.cleaned_data,
                group=group,
                expected_version=int(request.POST.get("version") or 0),
            )
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Group saved."))
            return redirect("settlement:groups")
    return render(request, "settlement/group_form.html", {"form": form, "group": current})
