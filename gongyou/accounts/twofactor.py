"""Two-factor sign-in (TOTP, RFC 6238) for staff who can administer or reveal personal data.

Who needs it: organisation and system admins and every role that may reveal ID numbers or
phones (`TWO_FACTOR_CAPABILITIES`), when `settings.TWO_FACTOR_REQUIRED` is on (production
default; see docs/security.md). They enrol an authenticator app once (a QR code and the secret
as text), then give a 6-digit code after the password at every sign-in; API tokens for them are
issued only with a code too. django-otp keeps the devices, verifies codes (±1 step of 30 s, no
code used twice) and throttles guessing; every enrolment, verification, failure and reset is
audited here.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongyou.core.audit import audit_record
from gongyou.core.errors import ApplicationError, FieldErrors, PermissionDenied

from .enums import Role
from .policies import Actor, Capability, actor_for

TWO_FACTOR_ROLES = frozenset({Role.ORG_ADMIN, Role.SYSTEM_ADMIN})
TWO_FACTOR_CAPABILITIES = (Capability.REVEAL_NATIONAL_ID, Capability.REVEAL_PHONE)
DEVICE_NAME = "authenticator"


class TwoFactorRequired(ApplicationError):
    status = 401
    code = "two_factor_required"
    default_message = gettext_lazy(
        "This account needs the 6-digit code of its authenticator app (field otp)."
    )


def two_factor_required(user: Any) -> bool:
    if not getattr(settings, "TWO_FACTOR_REQUIRED", True):
        return False
    actor = actor_for(user)
    return bool(actor.roles & TWO_FACTOR_ROLES) or any(
        actor.can(c) for c in TWO_FACTOR_CAPABILITIES
    )


def totp_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user=user, name=DEVICE_NAME)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-id").first()


def totp_enrolment_start(*, user: Any) -> TOTPDevice:
    """A fresh, unconfirmed device (a new secret each time the page is opened anew)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, name=DEVICE_NAME, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_provisioning(device: TOTPDevice) -> dict[str, str]:
    """What the enrolment page shows: the otpauth URI as an inline SVG QR code and the secret
    as text (for apps without a camera)."""
    uri = device.config_url  # otpauth://totp/…?secret=…&issuer=settings.OTP_TOTP_ISSUER
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(uri, error="m")
    return {
        "svg": qr.svg_inline(scale=4, dark="#111", light="#fff", omitsize=False),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


def _clean_token(token: Any, errors: FieldErrors, field: str = "otp") -> str:
    text = "".join(str(token or "").split())
    if not text:
        errors.add(field, "required", _("Enter the 6-digit code from your authenticator app."))
    elif not (text.isdigit() and len(text) == 6):
        errors.add(field, "invalid_format", _("The code has 6 digits."))
    return text


def _verify(device: TOTPDevice, token: str) -> tuple[bool, str]:
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        return False, "throttled"
    return bool(device.verify_token(token)), "wrong_code"


def totp_enrolment_confirm(
    *, request: HttpRequest, device: TOTPDevice, token: Any, field: str = "otp"
) -> TOTPDevice:
    errors = FieldErrors()
    text = _clean_token(token, errors, field)
    errors.raise_if_any()
    ok, why = _verify(device, text)
    with transaction.atomic():
        if not ok:
            audit_record(actor=request.user, action="two_factor.enrol_failed", entity=device)
            errors.add(field, why, _message(why))
        else:
            TOTPDevice.objects.filter(user=device.user, name=DEVICE_NAME, confirmed=True).exclude(
                pk=device.pk
            ).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(actor=request.user, action="two_factor.enrolled", entity=device)
    errors.raise_if_any()
    otp_login(request, device)
    return device


def _message(why: str) -> str:
    if why == "throttled":
        return _("Too many wrong codes: wait a moment, then enter the current code.")
    return _("That code is not right (or was already used). Enter the current code.")


def totp_check(*, user: Any, token: Any, field: str = "otp") -> TOTPDevice:
    """Verify a code of the user's confirmed device; audited either way."""
    device = totp_device(user)
    errors = FieldErrors()
    if device is None:
        raise TwoFactorRequired(
            _(
                "Set up two-factor sign-in first: sign in on the web pages, which lead you through it."
            )
        )
    text = _clean_token(token, errors, field)
    if errors:
        raise TwoFactorRequired(str(errors.errors[field]["message"]))
    ok, why = _verify(device, text)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="two_factor.verified" if ok else "two_factor.failed",
            entity=device,
        )
    if not ok:
        errors.add(field, why, _message(why))
        errors.raise_if_any()
    return device


def totp_verify_session(*, request: HttpRequest, token: Any) -> TOTPDevice:
    device = totp_check(user=request.user, token=token)
    otp_login(request, device)
    return device


def totp_reset(*, actor: Actor, user: Any) -> int:
    """An administrator removes a user's authenticator (lost phone); they enrol again at their
    next sign-in. Audited."""
    if not actor.roles & TWO_FACTOR_ROLES:
        raise PermissionDenied()
    with transaction.atomic():
        removed, _detail = TOTPDevice.objects.filter(user=user).delete()
        audit_record(
            actor=actor.user,
            action="two_factor.reset",
            entity=user,
            summary=_("Two-factor sign-in reset for %(name)s") % {"name": user.username},
        )
    return removed
