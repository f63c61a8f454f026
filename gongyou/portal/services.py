"""Every write of the portal: sign-in codes and locks, linking to the registry, self-registration,
consent and correction requests from the worker, complaints (through the cases app).

Rules (docs/domains/portal.md): a code is 6 digits, valid CODE_TTL, single use, only the newest
counts; at most one code per RESEND_AFTER and MAX_CODES_PER_HOUR per number, and
MAX_CODES_PER_IP_HOUR per client address; MAX_FAILURES wrong codes within FAILURE_WINDOW lock the
number for LOCK_FOR. Codes are stored as a keyed hash (HMAC under the PII index key) with a salt.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.accounts.policies import Actor
from gongyou.core import crypto
from gongyou.core.audit import audit_record
from gongyou.core.errors import Conflict, FieldError, FieldErrors, NotFound, ValidationFailed
from gongyou.regions.selectors import province_codes, region_is_known, region_label
from gongyou.workers.enums import ConsentMethod, ConsentPurpose
from gongyou.workers.identity import (
    IdentityError,
    mask_national_id,
    mask_phone,
    parse_mobile,
    parse_national_id,
)
from gongyou.workers.models import Consent, Worker
from gongyou.workers.services import worker_register, worker_update

from .enums import (
    CORRECTION_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    WORKER,
    CorrectionField,
    CorrectionStatus,
    RegistrationKind,
    RegistrationStatus,
)
from .models import CorrectionRequest, PortalAccount, SelfRegistration, SignInCode, SignInLock
from .policies import (
    PortalPrincipal,
    account_require_linked,
    correction_require_visible,
    principal_for,
    self_registration_require_visible,
    staff_require,
)
from .sms import SmsNotSent, sms_send


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


CODE_TTL = dt.timedelta(seconds=_setting("GONGYOU_PORTAL_CODE_TTL_SECONDS", 300))
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_CODES_PER_HOUR = 5
MAX_CODES_PER_IP_HOUR = 30
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=30)
LOCK_FOR = dt.timedelta(minutes=30)
MAX_LINK_REQUESTS_PER_DAY = 5


class SignInLocked(Conflict):
    code = "sign_in_locked"
    default_message = gettext_lazy("Too many wrong codes. Try again later.")


class CodeRateLimited(Conflict):
    code = "rate_limited"
    default_message = gettext_lazy("Too many codes asked for. Wait a little and try again.")


class SmsFailed(Conflict):
    code = "sms_failed"
    default_message = gettext_lazy("The text message could not be sent. Try again in a minute.")


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    default_message = gettext_lazy("This request cannot move from its current status to that one.")


# --- Sign-in ---------------------------------------------------------------------------------


def _phone_hash(number: str) -> str:
    return crypto.blind_index(number, context="phone")


def _code_hash(code: str, salt: str) -> str:
    return crypto.blind_index(f"{salt}:{code}", context="portal_sign_in_code")


def _clean_phone(raw: Any) -> str:
    try:
        return parse_mobile(str(raw or ""))
    except IdentityError as exc:
        raise ValidationFailed(fields={"phone": FieldError(exc.code, exc.message)}) from None


def _lock_for(phone_hash: str, now: dt.datetime) -> SignInLock | None:
    return (
        SignInLock.objects.filter(phone_hash=phone_hash, locked_until__gt=now)
        .order_by("-locked_until")
        .first()
    )


def _locked_error(lock: SignInLock) -> SignInLocked:
    until = timezone.localtime(lock.locked_until)
    return SignInLocked(
        _("Too many wrong codes: this number can sign in again after %(time)s.")
        % {"time": f"{until:%H:%M}"},
        extra={"locked_until": lock.locked_until.isoformat()},
    )


def sign_in_code_send(*, phone: Any, ip_address: str | None = None) -> SignInCode:
    """Send a new code to `phone` (any spelling of a mainland mobile) and store its hash."""
    number = _clean_phone(phone)
    phone_hash = _phone_hash(number)
    now = timezone.now()
    with transaction.atomic():
        lock = _lock_for(phone_hash, now)
        if lock is not None:
            raise _locked_error(lock)
        recent = SignInCode.objects.filter(
            phone_hash=phone_hash, created_at__gt=now - dt.timedelta(hours=1)
        )
        last = recent.order_by("-created_at").first()
        if last is not None and last.created_at > now - RESEND_AFTER:
            wait = int((last.created_at + RESEND_AFTER - now).total_seconds()) + 1
            raise CodeRateLimited(
                _("A code was just sent. You can ask for another in %(n)d seconds.") % {"n": wait},
                extra={"retry_after": wait},
            )
        if recent.count() >= MAX_CODES_PER_HOUR:
            raise CodeRateLimited(
                _("At most %(n)d codes an hour for one number. Try again later.")
                % {"n": MAX_CODES_PER_HOUR}
            )
        if (
            ip_address
            and SignInCode.objects.filter(
                ip_address=ip_address, created_at__gt=now - dt.timedelta(hours=1)
            ).count()
            >= MAX_CODES_PER_IP_HOUR
        ):
            raise CodeRateLimited()
        code = f"{secrets.randbelow(1_000_000):06d}"
        salt = secrets.token_hex(8)
        row = SignInCode.objects.create(
            phone_hash=phone_hash,
            phone_enc=crypto.encrypt(number, context="phone"),
            code_hash=_code_hash(code, salt),
            salt=salt,
            created_at=now,
            expires_at=now + CODE_TTL,
            ip_address=ip_address,
        )
        minutes = max(1, int(CODE_TTL.total_seconds() // 60))
        text = _(
            "[Gongyou] Your sign-in code is %(code)s, valid for %(n)d minutes. "
            "Never tell it to anyone, staff included."
        ) % {"code": code, "n": minutes}
        try:
            sms_send(phone=number, text=text)
        except SmsNotSent:
            raise SmsFailed() from None
    return row


def _bad_code(message: str) -> ValidationFailed:
    return ValidationFailed(fields={"code": FieldError("invalid_code", message)})


def sign_in_code_verify(*, phone: Any, code: Any) -> PortalAccount:
    """Check a code; on success mark it used and return the number's account (created on first
    sign-in). Wrong codes count towards the lock even though this raises."""
    number = _clean_phone(phone)
    phone_hash = _phone_hash(number)
    entered = "".join(ch for ch in str(code or "") if not ch.isspace())
    now = timezone.now()
    lock = _lock_for(phone_hash, now)
    if lock is not None:
        raise _locked_error(lock)
    if not (len(entered) == 6 and entered.isdigit()):
        raise _bad_code(_("The code has 6 digits."))
    latest = (
        SignInCode.objects.filter(phone_hash=phone_hash, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        raise _bad_code(_("Ask for a code first."))
    if latest.expires_at <= now:
        raise _bad_code(_("This code has expired. Ask for a new one."))
    if not hmac.compare_digest(latest.code_hash, _code_hash(entered, latest.salt)):
        locked = _count_failure(latest, phone_hash, now)
        if locked is not None:
            raise _locked_error(locked)
        raise _bad_code(_("The code is wrong. Check the text message and try again."))
    with transaction.atomic():
        # Single use, also under a race: only one request turns used_at from NULL to now.
        if not SignInCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=now):
            raise _bad_code(_("This code was already used. Ask for a new one."))
        account = PortalAccount.objects.filter(phone_hash=phone_hash).first()
        created = account is None
        if account is None:
            try:
                with transaction.atomic():
                    account = PortalAccount.objects.create(
                        phone_hash=phone_hash,
                        phone_enc=latest.phone_enc,
                        phone_masked=mask_phone(number),
                    )
            except IntegrityError:
                account = PortalAccount.objects.get(phone_hash=phone_hash)
                created = False
        account.last_sign_in_at = now
        account.save(update_fields=["last_sign_in_at"])
        audit_record(
            actor=principal_for(account),
            action="portal.sign_in",
            entity=account,
            worker_id=account.worker_id,
            summary=_("Signed in to the portal (new account)")
            if created
            else _("Signed in to the portal"),
        )
    return account


def _count_failure(row: SignInCode, phone_hash: str, now: dt.datetime) -> SignInLock | None:
    """One wrong code: committed at once (the caller raises afterwards); the MAX_FAILURES-th
    within FAILURE_WINDOW locks the number and voids its open codes."""
    with transaction.atomic():
        SignInCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        last_lock = (
            SignInLock.objects.filter(phone_hash=phone_hash).order_by("-locked_until").first()
        )
        since = now - FAILURE_WINDOW
        if last_lock is not None and last_lock.locked_until > since:
            since = last_lock.locked_until  # failures before the last lock ended are spent
        failures = (
            SignInCode.objects.filter(phone_hash=phone_hash, created_at__gt=since).aggregate(
                n=Sum("attempts")
            )["n"]
            or 0
        )
        if failures < MAX_FAILURES:
            return None
        SignInCode.objects.filter(phone_hash=phone_hash, used_at__isnull=True).update(used_at=now)
        lock = SignInLock.objects.create(
            phone_hash=phone_hash, locked_at=now, locked_until=now + LOCK_FOR, failures=failures
        )
        audit_record(
            actor=None,
            action="portal.sign_in_locked",
            entity=lock,
            summary=_("Portal sign-in locked after %(n)d wrong codes") % {"n": failures},
        )
        return lock


# --- Linking to the registry -------------------------------------------------------------------


def _holder(worker: Worker) -> Worker:
    seen = {worker.pk}
    while worker.merged_into_id is not None and worker.merged_into_id not in seen:
        seen.add(worker.merged_into_id)
        worker = Worker.objects.get(pk=worker.merged_into_id)
    return worker


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


@transaction.atomic
def account_link(
    *, account: PortalAccount, name: Any, national_id: Any, current_region: Any = None
) -> PortalAccount | SelfRegistration:
    """First sign-in: link the account to its registry record, or ask a station to confirm.

    Linked at once only when the ID number's record has this very mobile on record and the name
    matches: the code proved the phone, the record ties phone and ID number together. Anything
    else (no record, another mobile, another name) becomes a self-registration a station
    confirms on seeing the ID card; the answer does not say which, so the form tells nobody
    whether an ID number is registered.
    """
    account = PortalAccount.objects.select_for_update().get(pk=account.pk)
    if account.worker_id is not None:
        raise Conflict(_("This account is already linked to your record."))
    errors = FieldErrors()
    person = " ".join(str(name or "").split())
    if not person:
        errors.add("name", "required", _("Enter your name as on your ID card."))
    elif len(person) > 50:
        errors.add("name", "too_long", _("At most 50 characters."))
    national = None
    try:
        national = parse_national_id(str(national_id or ""), provinces=province_codes())
    except IdentityError as exc:
        errors.add("national_id", exc.code, exc.message)
    region = str(current_region or "").strip()
    if region and not region_is_known(region):
        errors.add("current_region", "unknown_region", _("Choose your district from the list."))
    errors.raise_if_any()
    assert national is not None
    id_hash = crypto.blind_index(national.number, context="national_id")
    found = Worker.objects.filter(national_id_hash=id_hash).first()
    worker = _holder(found) if found is not None else None
    if (
        worker is not None
        and worker.phone_hash == account.phone_hash
        and _same_name(worker.name, person)
    ):
        return _link(account=account, worker=worker, by=principal_for(account), how="code")
    recent = SelfRegistration.objects.filter(
        account=account, created_at__gt=timezone.now() - dt.timedelta(days=1)
    ).count()
    if recent >= MAX_LINK_REQUESTS_PER_DAY:
        raise Conflict(_("Too many requests today. Please visit a station with your ID card."))
    if not region and worker is None:
        errors.add(
            "current_region",
            "required",
            _("Choose the district where you live or work, so the nearest station can confirm."),
        )
        errors.raise_if_any()
    SelfRegistration.objects.filter(account=account, status=RegistrationStatus.PENDING).update(
        status=RegistrationStatus.CANCELLED, decided_at=timezone.now()
    )
    hukou = national.region_code if region_is_known(national.region_code) else None
    district = region or (worker.current_region_id if worker is not None else "")
    registration = SelfRegistration.objects.create(
        account=account,
        kind=RegistrationKind.LINK if worker is not None else RegistrationKind.NEW,
        name=person,
        national_id_enc=crypto.encrypt(national.number, context="national_id"),
        national_id_hash=id_hash,
        national_id_masked=mask_national_id(national.number),
        current_region_id=district,
        hukou_region_id=hukou,
        worker=worker,
    )
    audit_record(
        actor=principal_for(account),
        action="portal.self_registration",
        entity=registration,
        worker_id=worker.pk if worker else None,
        region_code=registration.current_region_id or "",
        summary=_("Asked a station to confirm %(name)s (%(id)s)")
        % {"name": person, "id": registration.national_id_masked},
    )
    return registration


def _link(*, account: PortalAccount, worker: Worker, by: Any, how: str) -> PortalAccount:
    previous = PortalAccount.objects.filter(worker=worker).exclude(pk=account.pk).first()
    if previous is not None:
        # The worker changed number: the old number's account no longer opens their records.
        previous.worker = None
        previous.linked_at = None
        previous.session_version += 1
        previous.save(update_fields=["worker", "linked_at", "session_version"])
    account.worker = worker
    account.linked_at = timezone.now()
    account.session_version += 1
    account.save(update_fields=["worker", "linked_at", "session_version"])
    audit_record(
        actor=by,
        action="portal.link",
        entity=account,
        worker_id=worker.pk,
        region_code=worker.current_region_id,
        after={
            "worker": worker.pk,
            "how": how,
            "unlinked_account": previous.pk if previous else None,
        },
        summary=_("Portal account %(phone)s linked to the worker's record")
        % {"phone": account.phone_masked},
    )
    return account


def self_registration_transition(
    *,
    actor: Actor | None,
    registration: SelfRegistration,
    to: str,
    reason: str = "",
    account: PortalAccount | None = None,
    data: dict[str, Any] | None = None,
) -> SelfRegistration:
    """Confirm, reject (staff) or cancel (the worker) a self-registration.

    Confirming a NEW one registers the worker through the registry's own service (with the
    staff member as actor, consent recorded as given online) and links the account; confirming
    a LINK links the account and puts the proven mobile on the record.
    """
    with transaction.atomic():
        registration = SelfRegistration.objects.select_for_update().get(pk=registration.pk)
        if account is not None:
            if registration.account_id != account.pk:
                raise NotFound()
            who = WORKER
        else:
            assert actor is not None
            staff_require(actor)
            self_registration_require_visible(actor, registration)
            who = "staff"
        allowed = REGISTRATION_TRANSITIONS.get(registration.status, {}).get(to)
        if allowed is None or (who == WORKER) != (WORKER in allowed):
            raise TransitionNotAllowed()
        errors = FieldErrors()
        reason = str(reason or "").strip()
        if to == RegistrationStatus.REJECTED and not reason:
            errors.add("reason", "required", _("Say why, so the worker knows what to do."))
        if len(reason) > 300:
            errors.add("reason", "too_long", _("At most 300 characters."))
        if to == RegistrationStatus.CONFIRMED and not (data or {}).get("id_card_seen"):
            errors.add(
                "id_card_seen",
                "required",
                _("Confirm only after seeing the worker's ID card (tick the box)."),
            )
        errors.raise_if_any()
        before = registration.status
        linked: Worker | None = None
        if to == RegistrationStatus.CONFIRMED:
            assert actor is not None
            linked = _confirm(actor=actor, registration=registration, data=data or {})
            registration.worker = linked
        registration.status = to
        registration.reason = reason
        registration.decided_at = timezone.now()
        registration.decided_by = actor.user if actor is not None else None
        registration.save()
        audit_record(
            actor=actor.user if actor is not None else principal_for(registration.account),
            action="portal.self_registration_transition",
            entity=registration,
            worker_id=registration.worker_id,
            region_code=registration.current_region_id or "",
            before={"status": before},
            after={"status": to, **({"reason": reason} if reason else {})},
            summary=_("Self-registration of %(name)s: %(status)s")
            % {"name": registration.name, "status": RegistrationStatus(to).label},
        )
    return registration


def _confirm(*, actor: Actor, registration: SelfRegistration, data: dict[str, Any]) -> Worker:
    account = PortalAccount.objects.select_for_update().get(pk=registration.account_id)
    phone = crypto.decrypt(account.phone_enc, context="phone")
    if account.worker_id is not None:
        raise Conflict(_("This portal account is already linked to a worker."))
    if registration.kind == RegistrationKind.LINK and registration.worker_id:
        worker = _holder(Worker.objects.get(pk=registration.worker_id))
        if worker.phone_hash != account.phone_hash:
            worker = worker_update(actor=actor, worker=worker, data={"phone": phone})
    else:
        existing = Worker.objects.filter(national_id_hash=registration.national_id_hash).first()
        if existing is not None:
            raise Conflict(
                _(
                    "This ID number was registered meanwhile. Reject this request and ask the "
                    "worker to sign in again: they will be linked to that record."
                )
            )
        values = {
            "national_id": crypto.decrypt(registration.national_id_enc, context="national_id"),
            "name": data.get("name") or registration.name,
            "phone": phone,
            "hukou_region": data.get("hukou_region") or registration.hukou_region_id or "",
            "current_region": data.get("current_region") or registration.current_region_id or "",
            "consent": True,
            "consent_method": ConsentMethod.ONLINE,
        }
        for field in ("current_address", "education", "employment_form", "industry"):
            if data.get(field):
                values[field] = data[field]
        worker = worker_register(actor=actor, data=values)
    _link(account=account, worker=worker, by=actor.user, how="station")
    return worker


# --- The worker's own requests -------------------------------------------------------------


@transaction.atomic
def consent_set_by_worker(*, account: PortalAccount, purpose: Any, granted: bool) -> Consent:
    """The worker grants or withdraws a consent themselves (method: online). Withdrawing is as
    easy as granting (PIPL Art. 15)."""
    worker = _my_worker(account)
    if str(purpose or "") not in ConsentPurpose.values:
        raise ValidationFailed(
            fields={"purpose": FieldError("invalid_choice", _("Unknown consent purpose."))}
        )
    consent = Consent.objects.create(
        worker=worker, purpose=purpose, granted=bool(granted), method=ConsentMethod.ONLINE
    )
    audit_record(
        actor=principal_for(account),
        action="consent.record",
        entity=consent,
        worker_id=worker.pk,
        after={"purpose": purpose, "granted": bool(granted), "method": ConsentMethod.ONLINE},
        region_code=worker.current_region_id,
        summary=(_("Consent granted: %(p)s") if granted else _("Consent withdrawn: %(p)s"))
        % {"p": ConsentPurpose(purpose).label},
    )
    return consent


def _my_worker(account: PortalAccount) -> Worker:
    if account.worker_id is None:
        raise NotFound()
    return Worker.objects.get(pk=account.worker_id)


@transaction.atomic
def correction_request_create(
    *, account: PortalAccount, field: Any, requested_value: Any, explanation: Any = ""
) -> CorrectionRequest:
    worker = _my_worker(account)
    errors = FieldErrors()
    if str(field or "") not in CorrectionField.values:
        errors.add("field", "invalid_choice", _("Choose what is wrong."))
    value = str(requested_value or "").strip()
    if not value:
        errors.add("requested_value", "required", _("Write what it should say."))
    elif len(value) > 300:
        errors.add("requested_value", "too_long", _("At most 300 characters."))
    note = str(explanation or "").strip()
    if len(note) > 1000:
        errors.add("explanation", "too_long", _("At most 1000 characters."))
    errors.raise_if_any()
    if CorrectionRequest.objects.filter(
        worker=worker, field=field, status=CorrectionStatus.OPEN
    ).exists():
        raise Conflict(
            _("You already asked for this to be corrected; staff will answer that request first."),
            fields={"field": FieldError("duplicate", _("Already asked, still open."))},
        )
    correction = CorrectionRequest.objects.create(
        worker=worker, field=field, requested_value=value, explanation=note
    )
    audit_record(
        actor=principal_for(account),
        action="portal.correction_request",
        entity=correction,
        worker_id=worker.pk,
        region_code=worker.current_region_id,
        after={"field": field},
        summary=_("Asked for a correction: %(field)s") % {"field": CorrectionField(field).label},
    )
    return correction


def correction_transition(
    *,
    correction: CorrectionRequest,
    to: str,
    actor: Actor | None = None,
    account: PortalAccount | None = None,
    reply: str = "",
) -> CorrectionRequest:
    """Staff answer a correction request (done / refused with a reply); the worker withdraws it."""
    with transaction.atomic():
        correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if account is not None:
            if account.worker_id is None or correction.worker_id != account.worker_id:
                raise NotFound()
            who = WORKER
        else:
            assert actor is not None
            staff_require(actor)
            correction_require_visible(actor, correction)
            who = "staff"
        allowed = CORRECTION_TRANSITIONS.get(correction.status, {}).get(to)
        if allowed is None or (who == WORKER) != (WORKER in allowed):
            raise TransitionNotAllowed()
        reply = str(reply or "").strip()
        errors = FieldErrors()
        if to == CorrectionStatus.REFUSED and not reply:
            errors.add("reply", "required", _("Tell the worker why it is not corrected."))
        if len(reply) > 500:
            errors.add("reply", "too_long", _("At most 500 characters."))
        errors.raise_if_any()
        before = correction.status
        correction.status = to
        correction.reply = reply
        correction.decided_at = timezone.now()
        correction.decided_by = actor.user if actor is not None else None
        correction.save()
        audit_record(
            actor=actor.user if actor is not None else principal_for(account),  # type: ignore[arg-type]
            action="portal.correction_transition",
            entity=correction,
            worker_id=correction.worker_id,
            before={"status": before},
            after={"status": to},
            summary=_("Correction request (%(field)s): %(status)s")
            % {
                "field": CorrectionField(correction.field).label,
                "status": CorrectionStatus(to).label,
            },
        )
    return correction


def complaint_file(
    *, account: PortalAccount, data: dict[str, Any], attachments: list[tuple[Any, str, str]]
) -> Any:
    """The worker files a complaint about their own rights (cases: worker self-service)."""
    from gongyou.cases.services import case_file_by_worker

    worker = _my_worker(account)
    return case_file_by_worker(
        worker=worker, principal=principal_for(account), data=data, attachments=attachments
    )


def data_export_record(*, account: PortalAccount, fmt: str) -> None:
    """Audit a download of everything held about the worker."""
    worker = _my_worker(account)
    audit_record(
        actor=principal_for(account),
        action="portal.data_export",
        entity=worker,
        worker_id=worker.pk,
        region_code=worker.current_region_id,
        after={"format": fmt},
        summary=_("Downloaded their data (%(fmt)s)") % {"fmt": fmt.upper()},
    )


def region_choice_label(code: str | None) -> str:
    return region_label(code) if code else ""


__all__ = [
    "PortalPrincipal",
    "account_link",
    "complaint_file",
    "consent_set_by_worker",
    "correction_request_create",
    "correction_transition",
    "data_export_record",
    "self_registration_transition",
    "sign_in_code_send",
    "sign_in_code_verify",
]


# --- Applying for a course or a job (through the training and jobs apps) ----------------------


def _own_worker(account: PortalAccount) -> Any:
    from gongyou.workers.models import Worker

    account_require_linked(account)
    assert account.worker_id is not None
    worker = Worker.objects.filter(pk=account.worker_id, merged_into__isnull=True).first()
    if worker is None:
        raise NotFound()
    return worker


def course_apply_by_worker(*, account: PortalAccount, course_id: Any) -> Any:
    """The signed-in worker applies for an open course for themselves (training's rules:
    enrolment window open, a seat free, no second application)."""
    from gongyou.training.models import Course
    from gongyou.training.services import enrolment_apply_by_worker

    worker = _own_worker(account)
    try:
        course = Course.objects.get(pk=int(course_id))
    except (Course.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    return enrolment_apply_by_worker(worker=worker, course=course)


def vacancy_apply_by_worker(*, account: PortalAccount, vacancy_id: Any) -> Any:
    """The signed-in worker applies for an open vacancy (a referral with source "application"
    in the employment officers' queue; jobs' rules: open, employer not flagged, no duplicate)."""
    from gongyou.jobs.models import Vacancy
    from gongyou.jobs.services import referral_apply_by_worker

    worker = _own_worker(account)
    try:
        vacancy = Vacancy.objects.get(pk=int(vacancy_id))
    except (Vacancy.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    return referral_apply_by_worker(worker=worker, vacancy=vacancy)
