"""Portal pages: phone sign-in, linking, and the worker's own pages; plus the two staff queues
(self-registrations to confirm, correction requests to answer).

Thin: parse, call one service or selector, render. Worker views receive the signed-in account
from `account_required`; nothing they show is looked up by an id the worker could change to
reach someone else's records (cases and requests are fetched within the account's scope).
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gongyou.accounts.policies import actor_for
from gongyou.core.errors import ApplicationError, Conflict, ValidationFailed
from gongyou.regions.selectors import region_label, region_names
from gongyou.workers.identity import normalise_phone

from . import sections, selectors, services
from .auth import (
    SESSION_PHONE,
    account_required,
    portal_account,
    portal_language,
    portal_sign_in,
    portal_sign_out,
)
from .enums import CorrectionStatus, RegistrationStatus
from .forms import (
    ATTACHMENT_SLOTS,
    CodeForm,
    ComplaintForm,
    ConfirmRegistrationForm,
    CorrectionForm,
    DecisionForm,
    LinkForm,
    PhoneForm,
    attachment_kind_choices,
)
from .models import PortalAccount
from .policies import staff_require


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target.startswith("/me/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return ""


# --- Sign-in ---------------------------------------------------------------------------------


@never_cache
@portal_language
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if portal_account(request) is not None and request.method == "GET":
        return redirect("portal:home")
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_in_code_send(
                phone=form.cleaned_data["phone"], ip_address=_client_ip(request)
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            request.session[SESSION_PHONE] = normalise_phone(form.cleaned_data["phone"])
            url = "portal:sign_in_code"
            target = _next(request)
            return redirect(f"/me/sign-in/code/?next={target}" if target else url)
    return render(request, "portal/sign_in.html", {"form": form, "next": _next(request)})


@never_cache
@portal_language
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("portal:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("resend"):
        try:
            services.sign_in_code_send(phone=phone, ip_address=_client_ip(request))
        except ApplicationError as exc:
            form = CodeForm()
            form.add_service_error(exc)
        else:
            messages.success(request, _("A new code is on its way."))
            return redirect(request.get_full_path())
    elif request.method == "POST" and form.is_valid():
        try:
            account = services.sign_in_code_verify(phone=phone, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            target = _next(request)
            portal_sign_in(request, account)
            if account.worker_id is None:
                return redirect("portal:link")
            return redirect(target or "portal:home")
    from gongyou.workers.identity import mask_phone

    return render(
        request,
        "portal/sign_in_code.html",
        {
            "form": form,
            "phone_masked": mask_phone(phone),
            "next": _next(request),
            "minutes": max(1, int(services.CODE_TTL.total_seconds() // 60)),
        },
    )


@portal_language
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    portal_sign_out(request)
    messages.success(request, _("You are signed out."))
    return redirect("portal:sign_in")


def _district_choices(code: str | None) -> list[tuple[str, str]]:
    return [(c, region_label(c)) for c, _n in selectors.region_choices_near(code=code)]


@never_cache
@account_required(linked=False)
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    if account.worker_id is not None:
        return redirect("portal:home")
    data = request.POST if request.method == "POST" else request.GET
    district_q = data.get("district_q", "").strip()[:20]
    districts = selectors.district_search(q=district_q) if district_q else []
    chosen = data.get("current_region", "")
    if chosen and chosen in region_names() and chosen not in dict(districts):
        districts = [(chosen, region_label(chosen)), *districts]
    # "Find" pressed, or Enter in the district box before any district was listed.
    finding = request.method == "POST" and (
        "find" in request.POST or (bool(district_q) and "current_region" not in request.POST)
    )
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        districts=districts,
        initial={"current_region": chosen},
    )
    if request.method == "POST" and not finding and form.is_valid():
        try:
            result = services.account_link(
                account=account,
                name=form.cleaned_data["name"],
                national_id=form.cleaned_data["national_id"],
                current_region=form.cleaned_data["current_region"],
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            if isinstance(result, PortalAccount):
                portal_sign_in(request, result)
                messages.success(request, _("Welcome! Your record is linked."))
                return redirect("portal:home")
            return redirect("portal:link")
    pending = selectors.my_pending_registration(account=account)
    return render(
        request,
        "portal/link.html",
        {
            "form": form,
            "account": account,
            "pending": pending
            if pending and pending.status == RegistrationStatus.PENDING
            else None,
            "last": pending,
            "district_q": district_q,
            "districts_found": districts,
            "searched": bool(district_q),
        },
    )


@account_required(linked=False)
@require_POST
def link_cancel(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    pending = selectors.my_pending_registration(account=account)
    if pending is not None and pending.status == RegistrationStatus.PENDING:
        services.self_registration_transition(
            actor=None, account=account, registration=pending, to=RegistrationStatus.CANCELLED
        )
    return redirect("portal:link")


# --- The worker's pages ------------------------------------------------------------------------


@never_cache
@account_required()
def home(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    worker = selectors.my_worker(account=account)
    cases = selectors.my_cases(account=account)
    open_cases = [c for c in cases if c.case.status not in ("resolved", "closed", "rejected")]
    return render(
        request,
        "portal/home.html",
        {
            "account": account,
            "worker": worker,
            "open_cases": open_cases[:3],
            "sections": sections.available_sections(),
        },
    )


@never_cache
@account_required()
def profile(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    worker = selectors.my_worker(account=account)
    return render(
        request,
        "portal/profile.html",
        {
            "account": account,
            "worker": worker,
            "certificates": selectors.my_certificates(account=account),
            "hukou": region_label(worker.hukou_region_id),
            "current": region_label(worker.current_region_id),
        },
    )


@never_cache
@account_required()
def cases(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(
        request,
        "portal/cases.html",
        {"account": account, "cases": selectors.my_cases(account=account)},
    )


@never_cache
@account_required()
def case_detail(request: HttpRequest, account: PortalAccount, case_id: int) -> HttpResponse:
    item = selectors.my_case(account=account, case_id=case_id)
    return render(request, "portal/case_detail.html", {"account": account, "item": item})


def _complaint_regions(worker: Any) -> list[tuple[str, str]]:
    codes = [worker.current_region_id]
    codes += [c for c, _n in selectors.region_choices_near(code=worker.current_region_id)]
    codes.append(worker.hukou_region_id)
    seen: dict[str, str] = {}
    for code in codes:
        if code and code not in seen and code in region_names():
            seen[code] = region_label(code)
    return list(seen.items())


@never_cache
@account_required()
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    worker = selectors.my_worker(account=account)
    form = ComplaintForm(
        request.POST or None,
        districts=_complaint_regions(worker),
        initial={"region": worker.current_region_id},
    )
    slots: list[dict[str, Any]] = [
        {
            "n": i,
            "kind": request.POST.get(f"attachment_{i}_kind", ""),
            "description": request.POST.get(f"attachment_{i}_description", ""),
            "errors": [],
        }
        for i in range(ATTACHMENT_SLOTS)
    ]
    if request.method == "POST" and form.is_valid():
        uploads: list[tuple[Any, str, str]] = []
        slot_of: list[int] = []
        for slot in slots:
            upload = request.FILES.get(f"attachment_{slot['n']}")
            if upload is not None:
                uploads.append((upload, slot["kind"], slot["description"]))
                slot_of.append(slot["n"])
        try:
            case = services.complaint_file(
                account=account, data=form.cleaned_data, attachments=uploads
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
            for name, error in exc.fields.items():
                if name.startswith("attachments.") and name.count(".") == 2:
                    index = int(name.split(".")[1])
                    if index < len(slot_of):
                        slots[slot_of[index]]["errors"].append(error["message"])
        else:
            messages.success(
                request,
                _("Your complaint was filed as %(ref)s. A case handler will contact you.")
                % {"ref": case.reference},
            )
            return redirect("portal:case_detail", case_id=case.pk)
    return render(
        request,
        "portal/complaint_new.html",
        {
            "account": account,
            "form": form,
            "slots": slots,
            "attachment_kinds": attachment_kind_choices(),
        },
    )


@never_cache
@account_required()
def training(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(
        request,
        "portal/training.html",
        {
            "account": account,
            "enrolments": selectors.my_trainings(account=account),
            "courses": selectors.open_courses(account=account),
            "applied": selectors.applied_course_ids(account=account),
        },
    )


def _plain_error(exc: ApplicationError) -> str:
    """The service's refusal in plain words: the field messages (what is wrong) when there are
    any, else the message."""
    parts = [f["message"] for f in exc.fields.values() if f.get("message")]
    return " ".join(parts) if parts and isinstance(exc, ValidationFailed) else exc.message


@account_required()
@require_POST
def training_apply(request: HttpRequest, account: PortalAccount, course_id: int) -> HttpResponse:
    try:
        enrolment = services.course_apply_by_worker(account=account, course_id=course_id)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, _plain_error(exc))
    else:
        messages.success(
            request,
            _(
                "You applied for “%(c)s”. The course organiser will tell you whether you have a "
                "place; you can see it here."
            )
            % {"c": enrolment.course.title},
        )
    return redirect("portal:training")


@never_cache
@account_required()
def settlement(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(
        request,
        "portal/settlement.html",
        {"account": account, "answer": selectors.my_settlement(account=account)},
    )


@never_cache
@account_required()
def jobs(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    return render(
        request,
        "portal/jobs.html",
        {
            "account": account,
            "matches": selectors.my_jobs(account=account),
            "applications": selectors.my_job_applications(account=account),
        },
    )


@account_required()
@require_POST
def jobs_apply(request: HttpRequest, account: PortalAccount, vacancy_id: int) -> HttpResponse:
    try:
        referral = services.vacancy_apply_by_worker(account=account, vacancy_id=vacancy_id)
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, _plain_error(exc))
    else:
        messages.success(
            request,
            _(
                "You applied for “%(t)s” at %(e)s. An employment officer will look at it and "
                "contact you."
            )
            % {"t": referral.vacancy.title, "e": referral.vacancy.employer.name},
        )
    return redirect("portal:jobs")


def _float(value: str | None) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return number if -180 <= number <= 180 else None


@portal_language
@require_http_methods(["GET"])
def stations(request: HttpRequest) -> HttpResponse:
    """Stations near me: public (no sign-in needed), from the phone's location or a district."""
    lat, lng = _float(request.GET.get("lat")), _float(request.GET.get("lng"))
    district = request.GET.get("district", "").strip()
    q = request.GET.get("q", "").strip()[:20]
    account = portal_account(request)
    if lat is None and lng is None and not district and not q and account and account.worker_id:
        district = account.worker.current_region_id if account.worker else ""
    if lat is not None and lng is not None:
        found = selectors.stations_near(lat=lat, lng=lng)
        where = _("near your location")
    elif district and district in region_names():
        found = selectors.stations_near(district=district)
        where = region_label(district)
    else:
        found, where = [], ""
    return render(
        request,
        "portal/stations.html",
        {
            "account": account,
            "stations": found,
            "where": where,
            "q": q,
            "districts_found": selectors.district_search(q=q) if q else [],
            "searched": bool(where),
        },
    )


@never_cache
@account_required()
def my_data(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    form = CorrectionForm()
    return _my_data_page(request, account, form)


def _my_data_page(
    request: HttpRequest, account: PortalAccount, form: CorrectionForm
) -> HttpResponse:
    return render(
        request,
        "portal/my_data.html",
        {
            "account": account,
            "consents": selectors.my_consents(account=account),
            "corrections": selectors.my_corrections(account=account),
            "form": form,
            "open_status": CorrectionStatus.OPEN,
        },
    )


@account_required()
@require_POST
def consent(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    granted = request.POST.get("granted") == "1"
    try:
        services.consent_set_by_worker(
            account=account, purpose=request.POST.get("purpose"), granted=granted
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Consent granted.") if granted else _("Consent withdrawn."))
    return redirect("portal:my_data")


@account_required()
@require_POST
def correction_new(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.correction_request_create(
                account=account,
                field=form.cleaned_data["field"],
                requested_value=form.cleaned_data["requested_value"],
                explanation=form.cleaned_data["explanation"],
            )
        except (ValidationFailed, Conflict) as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("Your request was sent. Staff will answer it here."))
            return redirect("portal:my_data")
    return _my_data_page(request, account, form)


@account_required()
@require_POST
def correction_withdraw(
    request: HttpRequest, account: PortalAccount, correction_id: int
) -> HttpResponse:
    correction = selectors.my_correction(account=account, correction_id=correction_id)
    try:
        services.correction_transition(
            correction=correction, account=account, to=CorrectionStatus.WITHDRAWN
        )
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect("portal:my_data")


def _export_name(account: PortalAccount, ext: str) -> str:
    return f"gongyou-my-data-{timezone.localdate():%Y%m%d}.{ext}"


@never_cache
@account_required()
def data_json(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    data = selectors.my_data(account=account)
    services.data_export_record(account=account, fmt="json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(account, "json")}"'
    return response


@never_cache
@account_required()
def data_zip(request: HttpRequest, account: PortalAccount) -> HttpResponse:
    data = selectors.my_data(account=account)
    services.data_export_record(account=account, fmt="zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for section in (
            "certificates",
            "consents",
            "visits",
            "cases",
            "correction_requests",
            "history",
        ):
            archive.writestr(
                f"{section}.json", json.dumps(data[section], ensure_ascii=False, indent=2)
            )
        archive.writestr(
            "README.txt",
            _(
                "Everything Gongyou holds about you, exported on %(date)s.\n"
                "my-data.json has all of it; the other files repeat each section.\n"
                "Your ID number and mobile are masked; a station shows them in full when you "
                "bring your ID card.\n"
            )
            % {"date": timezone.localdate().isoformat()},
        )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(account, "zip")}"'
    return response


# --- Staff queues ------------------------------------------------------------------------------


@login_required
@never_cache
def staff_registrations(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    staff_require(actor)
    status = request.GET.get("status", RegistrationStatus.PENDING)
    if status not in RegistrationStatus.values:
        status = RegistrationStatus.PENDING
    rows = selectors.self_registration_queue(actor=actor, status=status)[:200]
    return render(
        request,
        "portal/staff_registrations.html",
        {
            "rows": rows,
            "status": status,
            "statuses": RegistrationStatus.choices,
            "labels": region_label,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def staff_registration(request: HttpRequest, registration_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    staff_require(actor)
    registration = selectors.self_registration_get(actor=actor, registration_id=registration_id)
    initial = {
        "name": registration.name,
        "hukou_region": registration.hukou_region_id or "",
        "current_region": registration.current_region_id or "",
    }
    form = ConfirmRegistrationForm(
        request.POST if request.POST.get("decision") == "confirm" else None, initial=initial
    )
    decision = DecisionForm(request.POST if request.POST.get("decision") == "reject" else None)
    if request.method == "POST":
        to = {"confirm": RegistrationStatus.CONFIRMED, "reject": RegistrationStatus.REJECTED}.get(
            request.POST.get("decision", "")
        )
        data: dict[str, Any] = {}
        if to == RegistrationStatus.CONFIRMED and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
        reason = decision.cleaned_data["reason"] if decision.is_valid() else ""
        if to is not None:
            try:
                services.self_registration_transition(
                    actor=actor, registration=registration, to=to, reason=reason, data=data
                )
            except ApplicationError as exc:
                (form if to == RegistrationStatus.CONFIRMED else decision).add_service_error(exc)
            else:
                messages.success(request, _("Done."))
                return redirect("portal:staff_registrations")
    return render(
        request,
        "portal/staff_registration.html",
        {
            "registration": registration,
            "form": form,
            "decision": decision,
            "current_label": region_label(registration.current_region_id),
            "hukou_label": region_label(registration.hukou_region_id),
            "pending": registration.status == RegistrationStatus.PENDING,
        },
    )


@login_required
@never_cache
def staff_corrections(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    staff_require(actor)
    status = request.GET.get("status", CorrectionStatus.OPEN)
    if status not in CorrectionStatus.values:
        status = CorrectionStatus.OPEN
    rows = selectors.correction_queue(actor=actor, status=status)[:200]
    return render(
        request,
        "portal/staff_corrections.html",
        {"rows": rows, "status": status, "statuses": CorrectionStatus.choices},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def staff_correction(request: HttpRequest, correction_id: int) -> HttpResponse:
    actor = actor_for(request.user)
    staff_require(actor)
    correction = selectors.correction_get(actor=actor, correction_id=correction_id)
    error = None
    if request.method == "POST":
        to = {"done": CorrectionStatus.DONE, "refuse": CorrectionStatus.REFUSED}.get(
            request.POST.get("decision", "")
        )
        if to is not None:
            try:
                services.correction_transition(
                    actor=actor, correction=correction, to=to, reply=request.POST.get("reply", "")
                )
            except ApplicationError as exc:
                error = exc
            else:
                messages.success(request, _("Answered."))
                return redirect("portal:staff_corrections")
    return render(
        request,
        "portal/staff_correction.html",
        {
            "correction": correction,
            "error": error,
            "reply": request.POST.get("reply", ""),
            "open": correction.status == CorrectionStatus.OPEN,
        },
    )
