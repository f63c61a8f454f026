"""The batch evaluation of the whole registry against each worker's current city."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction

from gongyou.core.audit import audit_record

from .. import compiled
from ..bulk import facts_for_workers, registry_rows
from ..enums import Purpose
from ..models import EligibilityResult
from ..selectors import rules_for, today, versions_in_force

KEEP_BATCHES = 3


def eligibility_batch_run(*, actor: Any = None, day: dt.date | None = None) -> dict[str, Any]:
    """Evaluate every registered worker for the hukou policy of their current city on `day` and
    store one EligibilityResult per worker (outcome, points, cited version) under a batch id.
    Workers in a city without a policy are stored as no_policy. Older batches beyond the last
    KEEP_BATCHES are removed. Runs as a background task (tasks.eligibility_batch)."""
    day = day or today()
    batch = f"{day.isoformat()}-{uuid.uuid4().hex[:8]}"
    versions = versions_in_force(purpose=Purpose.HUKOU, day=day)
    checks = {city: (v.pk, compiled.compile_rules(rules_for(v))) for city, v in versions.items()}
    counts = {"workers": 0, "evaluated": 0, "no_policy": 0}
    pending: list[EligibilityResult] = []
    with transaction.atomic():
        for facts in facts_for_workers(registry_rows()):
            counts["workers"] += 1
            city = facts.current_city
            if not city:
                continue
            entry = checks.get(city)
            if entry is None:
                counts["no_policy"] += 1
                pending.append(
                    EligibilityResult(
                        worker_id=facts.worker_id,
                        city_id=city,
                        as_of=day,
                        outcome="no_policy",
                        batch=batch,
                    )
                )
            else:
                version_id, check = entry
                outcome, points = check(compiled.features(facts, day))
                counts["evaluated"] += 1
                pending.append(
                    EligibilityResult(
                        worker_id=facts.worker_id,
                        city_id=city,
                        policy_version_id=version_id,
                        as_of=day,
                        outcome=outcome,
                        points=points,
                        batch=batch,
                    )
                )
            if len(pending) >= 2000:
                EligibilityResult.objects.bulk_create(pending)
                pending = []
        EligibilityResult.objects.bulk_create(pending)
        old = list(
            EligibilityResult.objects.exclude(batch="")
            .values_list("batch", flat=True)
            .order_by("-batch")
            .distinct()
        )
        stale = [b for b in dict.fromkeys(old) if b != batch][KEEP_BATCHES - 1 :]
        if stale:
            EligibilityResult.objects.filter(batch__in=stale).delete()
        audit_record(
            actor=actor,
            action="settlement.batch",
            entity_type="settlement.batch",
            entity_id=batch,
            after=counts,
            summary=f"Eligibility batch {batch}: {counts['evaluated']} evaluated",
        )
    return {"batch": batch, **counts}
