"""Who may see what in the portal.

Workers: a signed-in portal account sees only its own linked worker's records; every portal
selector takes the account (never an id from the request) as its scope.
Staff: self-registrations and correction requests are visible to staff who may edit workers
in the region concerned (the worker's current or hukou region; for a new registration the
region the worker chose or the region of the ID number), like the registry itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor, Capability
from gongyou.core.errors import NotFound, PermissionDenied

from .enums import STAFF
from .models import CorrectionRequest, PortalAccount, SelfRegistration


@dataclass(frozen=True)
class PortalPrincipal:
    """Who acted, for audit rows written on a worker's own request (not a staff user)."""

    account_id: int
    worker_id: int | None = None
    pk: None = None
    organisation_id: None = None

    def get_username(self) -> str:
        who = f"worker {self.worker_id}" if self.worker_id else f"account {self.account_id}"
        return f"portal: {who}"


def principal_for(account: PortalAccount) -> PortalPrincipal:
    return PortalPrincipal(account_id=account.pk, worker_id=account.worker_id)


def account_require_linked(account: PortalAccount | None) -> None:
    """Pages about 'my' records need an account linked to a registry worker."""
    if account is None or account.worker_id is None:
        raise NotFound()


# The public station directory: station names, addresses, hours and services are public
# information, so the portal reads them with a national, read-only scope.
PUBLIC_DIRECTORY = Actor(
    user=None,
    roles=frozenset({Role.ANALYST}),
    region_prefix="",
    station_id=None,
    organisation_id=None,
)


def staff_can_handle(actor: Actor) -> bool:
    return bool(actor.roles & STAFF) and actor.can(Capability.EDIT_WORKERS)


def staff_require(actor: Actor) -> None:
    if not staff_can_handle(actor):
        raise PermissionDenied()


def self_registrations_visible_to(actor: Actor) -> QuerySet[SelfRegistration]:
    if not staff_can_handle(actor):
        return SelfRegistration.objects.none()
    return SelfRegistration.objects.filter(
        actor.region_q(
            "current_region_id",
            "hukou_region_id",
            "worker__current_region_id",
            "worker__hukou_region_id",
        )
    )


def corrections_visible_to(actor: Actor) -> QuerySet[CorrectionRequest]:
    if not staff_can_handle(actor):
        return CorrectionRequest.objects.none()
    return CorrectionRequest.objects.filter(
        actor.region_q("worker__current_region_id", "worker__hukou_region_id"),
        worker__merged_into__isnull=True,
    )


def self_registration_require_visible(actor: Actor, registration: SelfRegistration) -> None:
    if not self_registrations_visible_to(actor).filter(pk=registration.pk).exists():
        raise NotFound()


def correction_require_visible(actor: Actor, correction: CorrectionRequest) -> None:
    if not corrections_visible_to(actor).filter(pk=correction.pk).exists():
        raise NotFound()
