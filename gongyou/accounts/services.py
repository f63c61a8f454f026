"""Writes for organisations, users and API tokens (each atomic and audited)."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyou.core.audit import audit_record, diff, snapshot
from gongyou.core.errors import (
    ApplicationError,
    Conflict,
    FieldError,
    FieldErrors,
    NotFound,
    ValidationFailed,
)
from gongyou.regions.selectors import region_is_known

from .enums import OrganisationKind, Role
from .models import ApiToken, Organisation, User
from .policies import Actor, Capability

TOKEN_PREFIX = "gy_"  # noqa: S105 - a public marker, not a secret
ORG_FIELDS = ["name", "kind", "department_type", "parent", "region", "is_active"]
USER_FIELDS = ["username", "display_name", "email", "organisation", "station", "roles", "is_active"]


class AuthenticationFailed(ApplicationError):
    status = 401
    code = "authentication_failed"
    default_message = gettext_lazy("Wrong username or password.")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def organisation_create(
    *,
    actor: Actor | None,
    name: str,
    kind: str,
    region_code: str | None = None,
    parent: Organisation | None = None,
    department_type: str = "",
) -> Organisation:
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", "required", _("Enter a name."))
    if kind not in OrganisationKind.values:
        errors.add("kind", "invalid_choice", _("Unknown organisation kind."))
    if region_code and not region_is_known(region_code):
        errors.add("region", "unknown_region", _("Unknown region code."))
    if kind == OrganisationKind.PARTNER_DEPARTMENT and not department_type:
        errors.add("department_type", "required", _("Say which department this is."))
    if actor is not None and not actor.covers_region(region_code):
        errors.add("region", "out_of_scope", _("The region is outside your organisation's area."))
    errors.raise_if_any()
    if Organisation.objects.filter(parent=parent, name=name.strip()).exists():
        raise Conflict(
            _("An organisation with this name already exists here."),
            fields={"name": FieldError("duplicate", _("Already exists."))},
        )
    org = Organisation.objects.create(
        name=name.strip(),
        kind=kind,
        region_id=region_code or None,
        parent=parent,
        department_type=department_type,
    )
    audit_record(
        actor=actor.user if actor else None,
        action="organisation.create",
        entity=org,
        after=snapshot(org, ORG_FIELDS),
        region_code=region_code or "",
        summary=org.name,
    )
    return org


@transaction.atomic
def user_create(
    *,
    actor: Actor | None,
    username: str,
    password: str | None,
    organisation: Organisation,
    roles: list[str],
    display_name: str = "",
    email: str = "",
    station: Any = None,
) -> User:
    errors = FieldErrors()
    if not username.strip():
        errors.add("username", "required", _("Enter a username."))
    elif User.objects.filter(username__iexact=username.strip()).exists():
        errors.add("username", "taken", _("This username is taken."))
    bad = [r for r in roles if r not in Role.values]
    if bad or not roles:
        errors.add("roles", "invalid_choice", _("Choose one or more valid roles."))
    if Role.STATION_STAFF in roles and station is None:
        errors.add("station", "required", _("Station staff must be assigned to a station."))
    if Role.SYSTEM_ADMIN in roles and actor is not None and Role.SYSTEM_ADMIN not in actor.roles:
        errors.add(
            "roles", "not_allowed", _("Only a system admin can grant the system admin role.")
        )
    if actor is not None and not actor.covers_region(organisation.region_id):
        errors.add("organisation", "out_of_scope", _("The organisation is outside your area."))
    if password:
        try:
            validate_password(password)
        except ValidationError as exc:
            errors.add("password", "weak_password", " ".join(exc.messages))
    errors.raise_if_any()
    user = User(
        username=username.strip(),
        organisation=organisation,
        roles=sorted(set(roles)),
        display_name=display_name,
        email=email,
        station=station,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor.user if actor else None,
        action="user.create",
        entity=user,
        after=snapshot(user, USER_FIELDS),
        summary=user.username,
    )
    return user


@transaction.atomic
def user_set_password(*, actor: Actor | None, user: User, password: str) -> User:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            fields={"password": FieldError("weak_password", " ".join(exc.messages))}
        ) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor.user if actor else None,
        action="user.set_password",
        entity=user,
        summary=user.username,
    )
    return user


@transaction.atomic
def api_token_create(
    *, actor: Actor, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token; the plain key is returned once and never stored."""
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", "required", _("Give the token a name."))
    if len(name) > 100:
        errors.add("name", "too_long", _("At most 100 characters."))
    if expires_at is not None and expires_at <= timezone.now():
        errors.add("expires_at", "in_past", _("The expiry must be in the future."))
    errors.raise_if_any()
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=key[:10], key_hash=_hash(key), expires_at=expires_at
    )
    audit_record(
        actor=actor.user,
        action="api_token.create",
        entity=token,
        after={"name": token.name, "prefix": token.prefix, "user": user.pk},
        summary=token.name,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        transaction.on_commit(lambda: api_token_cache_evict(key_hash=token.key_hash))
        audit_record(
            actor=actor.user,
            action="api_token.revoke",
            entity=token,
            after={"revoked_at": token.revoked_at},
            summary=token.name,
        )
    return token


class AccountLocked(ApplicationError):
    status = 429
    code = "account_locked"
    default_message = gettext_lazy(
        "Too many wrong passwords for this account or from this address: try again later."
    )


def api_token_login(
    *, username: str, password: str, request: Any = None, otp: str = ""
) -> tuple[ApiToken, str]:
    """Exchange a username and password (and, for accounts that need two-factor sign-in, the
    authenticator code) for a new token (POST /api/v1/auth/token). Failures count towards the
    sign-in lockout (django-axes) like those of the sign-in page."""
    from .twofactor import totp_check, two_factor_required

    errors = FieldErrors()
    if not username:
        errors.add("username", "required", _("Enter a username."))
    if not password:
        errors.add("password", "required", _("Enter a password."))
    errors.raise_if_any()
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise AccountLocked()
    if user is None or not user.is_active:
        raise AuthenticationFailed(_("Wrong username or password."))
    if two_factor_required(user):
        totp_check(user=user, token=otp)
    from .policies import actor_for

    return api_token_create(
        actor=actor_for(user),
        user=user,
        name=f"login {timezone.localtime():%Y-%m-%d %H:%M}",
    )


# Per-process cache of authenticated tokens: the token check was ~20% of a visit's server CPU
# (benchmarks/RESULTS.md). Revocation and deactivation evict locally at once; other processes
# notice within API_TOKEN_CACHE_SECONDS (documented in docs/domains/accounts.md).
_token_cache: dict[str, tuple[float, User, datetime | None]] = {}
_TOKEN_CACHE_MAX = 10_000


def api_token_authenticate(*, key: str) -> User | None:
    """The active user behind a bearer key, or None. At most one query, usually none."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    key_hash = _hash(key)
    ttl = float(getattr(settings, "API_TOKEN_CACHE_SECONDS", 10))
    hit = _token_cache.get(key_hash)
    now = timezone.now()
    if hit is not None and hit[0] > time.monotonic() and (hit[2] is None or hit[2] > now):
        return hit[1]
    try:
        token = ApiToken.objects.select_related("user", "user__organisation", "user__station").get(
            key_hash=key_hash
        )
    except ApiToken.DoesNotExist:
        return None
    if (
        token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
        or not token.user.is_active
    ):
        _token_cache.pop(key_hash, None)
        return None
    # Record use at most once a minute: no write per request on the hot path.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if ttl > 0:
        if len(_token_cache) >= _TOKEN_CACHE_MAX:
            _token_cache.clear()
        _token_cache[key_hash] = (time.monotonic() + ttl, token.user, token.expires_at)
    return token.user


def api_token_cache_evict(*, user_id: int | None = None, key_hash: str | None = None) -> None:
    """Forget cached tokens of a user (deactivated, roles changed) or one token (revoked)."""
    if key_hash is not None:
        _token_cache.pop(key_hash, None)
    if user_id is not None:
        # list(): a snapshot, as another request thread may add a token meanwhile.
        for h in [h for h, (_t, u, _e) in list(_token_cache.items()) if u.pk == user_id]:
            _token_cache.pop(h, None)


@transaction.atomic
def user_update(*, actor: Actor, user: User, data: dict[str, Any]) -> User:
    """Change a staff user's roles, station, organisation, names or active flag (admins only)."""
    actor.require(Capability.MANAGE_USERS)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not actor.covers_region(user.organisation.region_id if user.organisation else None):
        raise NotFound()
    errors = FieldErrors()
    allowed = {"roles", "station", "organisation", "display_name", "email", "is_active"}
    for field in sorted(set(data) - allowed):
        errors.add(field, "not_editable", _("This field cannot be changed here."))
    roles = list(data.get("roles", user.roles))
    if "roles" in data and (not roles or any(r not in Role.values for r in roles)):
        errors.add("roles", "invalid_choice", _("Choose one or more valid roles."))
    if (
        Role.SYSTEM_ADMIN in roles
        and Role.SYSTEM_ADMIN not in user.roles
        and Role.SYSTEM_ADMIN not in actor.roles
    ):
        errors.add(
            "roles", "not_allowed", _("Only a system admin can grant the system admin role.")
        )
    organisation = data.get("organisation", user.organisation)
    if organisation is None or not actor.covers_region(organisation.region_id):
        errors.add("organisation", "out_of_scope", _("The organisation is outside your area."))
    station = data.get("station", user.station)
    if Role.STATION_STAFF in roles and station is None:
        errors.add("station", "required", _("Station staff must be assigned to a station."))
    if station is not None and not actor.covers_region(station.region_id):
        errors.add("station", "out_of_scope", _("The station is outside your area."))
    if user.pk == actor.user.pk and data.get("is_active") is False:
        errors.add("is_active", "self", _("You cannot deactivate your own account."))
    errors.raise_if_any()
    before = snapshot(user, USER_FIELDS)
    user.roles = sorted(set(roles))
    user.organisation, user.station = organisation, station
    for field in ("display_name", "email", "is_active"):
        if field in data:
            setattr(user, field, data[field])
    changed_before, changed_after = diff(before, snapshot(user, USER_FIELDS))
    if changed_after:
        user.save()
        transaction.on_commit(lambda: api_token_cache_evict(user_id=user.pk))
        audit_record(
            actor=actor.user,
            action="user.update",
            entity=user,
            before=changed_before,
            after=changed_after,
            summary=user.username,
        )
    return user
