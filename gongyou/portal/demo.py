"""Demo data for the portal: one demo worker who can sign in (mobile DEMO_PHONE; the code is
printed by the console SMS backend, or written under var/sms/ by the file backend), one open
correction request from them, and one self-registration waiting for a station.

Idempotent: does nothing once the demo account exists.
"""

from __future__ import annotations

import random

from django.db import transaction

from gongyou.accounts.enums import Role
from gongyou.accounts.policies import Actor
from gongyou.core import crypto
from gongyou.workers.identity import check_character, mask_national_id, mask_phone
from gongyou.workers.models import Worker
from gongyou.workers.services import worker_update

from .enums import RegistrationKind
from .models import CorrectionRequest, PortalAccount, SelfRegistration
from .services import _link

DEMO_PHONE = "13900000001"
DEMO_APPLICANT_PHONE = "13900000002"
SYSTEM = Actor(
    user=None,
    roles=frozenset({Role.SYSTEM_ADMIN}),
    region_prefix="",
    station_id=None,
    organisation_id=None,
)


def _account(phone: str) -> PortalAccount:
    return PortalAccount.objects.create(
        phone_enc=crypto.encrypt(phone, context="phone"),
        phone_hash=crypto.blind_index(phone, context="phone"),
        phone_masked=mask_phone(phone),
    )


@transaction.atomic
def demo_populate(*, seed: int = 7) -> dict[str, int]:
    if PortalAccount.objects.filter(
        phone_hash=crypto.blind_index(DEMO_PHONE, context="phone")
    ).exists():
        return {"portal_accounts": 0, "self_registrations": 0, "correction_requests": 0}
    rng = random.Random(seed)  # noqa: S311  (synthetic demo data)
    phone_hash = crypto.blind_index(DEMO_PHONE, context="phone")
    worker = Worker.objects.filter(phone_hash=phone_hash, merged_into__isnull=True).first()
    if worker is None:
        candidates = list(
            Worker.objects.filter(merged_into__isnull=True, portal_account__isnull=True)
            .order_by("id")
            .values_list("pk", flat=True)[:50]
        )
        if not candidates:
            return {"portal_accounts": 0, "self_registrations": 0, "correction_requests": 0}
        worker = Worker.objects.get(pk=rng.choice(candidates))
        worker = worker_update(actor=SYSTEM, worker=worker, data={"phone": DEMO_PHONE})
    account = _link(account=_account(DEMO_PHONE), worker=worker, by=None, how="demo")
    CorrectionRequest.objects.create(
        worker=worker,
        field="education",
        requested_value="高中",
        explanation="2019年已取得高中毕业证书。",
    )
    applicant = _account(DEMO_APPLICANT_PHONE)
    body = (
        f"5101041996{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(0, 999):03d}"
    )
    number = body + check_character(body)
    SelfRegistration.objects.create(
        account=applicant,
        kind=RegistrationKind.NEW,
        name="赵小强",
        national_id_enc=crypto.encrypt(number, context="national_id"),
        national_id_hash=crypto.blind_index(number, context="national_id"),
        national_id_masked=mask_national_id(number),
        current_region_id=worker.current_region_id,
        hukou_region_id="510104",
    )
    assert account.worker_id == worker.pk
    return {"portal_accounts": 2, "self_registrations": 1, "correction_requests": 1}
