"""Start-up checks of personal-data protection: the key ring parses, stored values name only
keys the ring has, the PII inventory matches the models.

The key check reads the database (a handful of indexed single-row queries), so it is tagged
`database`: `gongyou check --database default` runs it, and so does `gongyou pii-rekey`.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from gongyou.core import crypto
from gongyou.workers.anonymise import pii_declarations_check


@checks.register(checks.Tags.security)
def key_ring_check(**_: Any) -> list[checks.CheckMessage]:
    try:
        crypto.keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="privacy.E001")]
    return []


@checks.register()
def inventory_check(**_: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(f"PII inventory: {p}", id="privacy.E003") for p in pii_declarations_check()
    ]


def sampled_key_ids() -> dict[str, set[str]]:
    """{column: key ids} of a sample of stored values: each column's first and last row, and
    the row after a running rotation's checkpoint (where values under the old key start)."""
    from .models import RekeyRun

    running = RekeyRun.objects.filter(status="running").first()
    out: dict[str, set[str]] = {}
    for model, name, _context in crypto.encrypted_fields():
        column = f"{model._meta.label}.{name}"
        qs = model._default_manager.exclude(**{name: ""})
        samples = [qs.order_by("pk"), qs.order_by("-pk")]
        after = running.checkpoint.get(column) if running else None
        if isinstance(after, int):
            samples.append(qs.filter(pk__gt=after).order_by("pk"))
        out[column] = {
            crypto.key_id_of(v) for q in samples for v in q.values_list(name, flat=True)[:1]
        }
    return out


@checks.register(checks.Tags.database)
def stored_keys_check(databases: Any = None, **_: Any) -> list[checks.CheckMessage]:
    if not databases:
        return []
    try:
        ring = crypto.keyring()
    except ImproperlyConfigured:
        return []  # reported by privacy.E001
    try:
        sampled = sampled_key_ids()
    except DatabaseError:
        return []  # not migrated yet
    return [
        checks.Error(
            f"{column} holds values encrypted with PII key '{key_id}', which is not in "
            f"GONGYOU_PII_KEYS ({', '.join(ring.key_ids)}).",
            hint="Put the key back; retire a key only after `gongyou pii-rekey` has finished.",
            id="privacy.E002",
        )
        for column, key_ids in sorted(sampled.items())
        for key_id in sorted(key_ids - set(ring.key_ids))
    ]
