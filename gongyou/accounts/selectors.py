"""Reads of organisations, users and tokens, always from the actor's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongyou.core.errors import NotFound
from gongyou.core.models import AuditEvent

from .models import ApiToken, Organisation, User
from .policies import Actor, Capability, actor_for


def organisation_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations in the actor's region subtree, and always the actor's own."""
    return (
        Organisation.objects.filter(actor.region_q("region_id") | Q(pk=actor.organisation_id))
        .select_related("region", "parent")
        .order_by("region_id", "name")
    )


def user_list(*, actor: Actor) -> QuerySet[User]:
    if not actor.can(Capability.MANAGE_USERS):
        return User.objects.filter(pk=actor.user.pk)
    return (
        User.objects.filter(actor.region_q("organisation__region_id"), organisation__isnull=False)
        .select_related("organisation", "station")
        .order_by("username")
    )


def user_get(*, actor: Actor, user_id: int) -> User:
    try:
        return user_list(actor=actor).get(pk=user_id)
    except User.DoesNotExist as exc:
        raise NotFound() from exc


def organisation_get(*, actor: Actor, organisation_id: int) -> Organisation:
    try:
        return organisation_list(actor=actor).get(pk=organisation_id)
    except Organisation.DoesNotExist as exc:
        raise NotFound() from exc


def stations_for_assignment(*, actor: Actor) -> QuerySet[Any]:
    """Stations a manager may assign staff to (through User.station, without importing the stations app)."""
    station_model = User._meta.get_field("station").related_model
    return station_model.objects.filter(actor.region_q("region_id")).order_by("region_id", "code")  # type: ignore[union-attr]


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    """Own tokens; admins also see the tokens of users they manage."""
    if actor.can(Capability.MANAGE_USERS):
        return ApiToken.objects.filter(user__in=user_list(actor=actor)).select_related("user")
    return ApiToken.objects.filter(user=actor.user).select_related("user")


def api_token_get(*, actor: Actor, token_id: int) -> ApiToken:
    try:
        return api_token_list(actor=actor).get(pk=token_id)
    except ApiToken.DoesNotExist as exc:
        raise NotFound() from exc


@dataclass
class AuditFilter:
    action: str | None = None
    actor: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    worker_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def audit_list(*, user: Any, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    actor = actor_for(user)
    if not actor.can(Capability.VIEW_AUDIT):
        raise NotFound()
    qs = AuditEvent.objects.all()
    if actor.region_prefix:
        # Events about records in the admin's region, plus events by members of their organisation.
        qs = qs.filter(actor.region_q("region_code") | Q(organisation_id=actor.organisation_id))
    f = filters or AuditFilter()
    if f.action:
        qs = qs.filter(action=f.action)
    if f.actor:
        qs = qs.filter(actor_label__icontains=f.actor)
    if f.entity_type:
        qs = qs.filter(entity_type=f.entity_type)
    if f.entity_id:
        qs = qs.filter(entity_id=f.entity_id)
    if f.worker_id:
        qs = qs.filter(worker_id=f.worker_id)
    if f.since:
        qs = qs.filter(at__gte=timezone.make_aware(dt.datetime.combine(f.since, dt.time.min)))
    if f.until:
        qs = qs.filter(
            at__lt=timezone.make_aware(
                dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time.min)
            )
        )
    return qs.select_related("actor").order_by("-at", "-id")


def organisation_admins(*, organisation_ids: list[int]) -> list[User]:
    """Active organisation admins of these organisations (escalations from the cases app)."""
    users = User.objects.filter(organisation_id__in=organisation_ids, is_active=True)
    return [u for u in users.order_by("id") if "org_admin" in (u.roles or [])]


def user_get_active(*, user_id: int) -> User | None:
    """An active user by id with organisation and station loaded, or None (case assignment)."""
    return (
        User.objects.select_related("organisation", "station")
        .filter(pk=user_id, is_active=True)
        .first()
    )
