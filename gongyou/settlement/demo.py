"""Demo data for settlement: social-insurance and residence histories for a sample of demo
workers (in their current city, some with an earlier city and gaps), a few facts staff checked,
and one batch evaluation so the indicators have shares to show. Idempotent: does nothing if any
history exists. Bulk writes (demo data), validated by construction: prefecture-level cities,
from <= to, nothing in the future.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from gongyou.workers.models import Worker

from .enums import ContributionKind, FactKey, Tenure
from .models import ContributionSpell, DeclaredFact, ResidenceSpell
from .selectors import city_of
from .services import eligibility_batch_run

SAMPLE = 300
KINDS_MINIMAL = [ContributionKind.PENSION, ContributionKind.MEDICAL, ContributionKind.WORK_INJURY]
KINDS_FULL = [
    ContributionKind.PENSION,
    ContributionKind.MEDICAL,
    ContributionKind.UNEMPLOYMENT,
    ContributionKind.WORK_INJURY,
    ContributionKind.MATERNITY,
]
NOTE = "演示数据"


def _month_start(day: dt.date, months_back: int) -> dt.date:
    m = day.year * 12 + day.month - 1 - months_back
    return dt.date(m // 12, m % 12 + 1, 1)


def _month_end(day: dt.date) -> dt.date:
    nxt = _month_start(day, -1)
    return nxt - dt.timedelta(days=1)


def demo_populate(*, seed: int = 7) -> dict[str, int]:
    if ContributionSpell.objects.exists() or ResidenceSpell.objects.exists():
        return {}
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    ids = list(
        Worker.objects.filter(merged_into__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    if not ids:
        return {}
    chosen = sorted(rng.sample(ids, min(SAMPLE, len(ids))))
    workers = Worker.objects.filter(pk__in=chosen).only(
        "id", "current_region_id", "hukou_region_id", "birth_date"
    )
    contributions: list[ContributionSpell] = []
    residences: list[ResidenceSpell] = []
    facts: list[DeclaredFact] = []
    for w in workers:
        city = city_of(w.current_region_id)
        if city is None:
            continue
        adult_months = max(((today - w.birth_date).days // 30) - 12 * 18, 6)
        months_here = min(rng.choice([8, 18, 30, 46, 60, 84, 100, 130]), adult_months)
        start = _month_start(today, months_here)
        # The residence permit usually comes some months after arrival.
        permit_lag = rng.choice([0, 3, 6, 12])
        tenure = rng.choices(
            [Tenure.RENTED, Tenure.DORMITORY, Tenure.OWNED, Tenure.OTHER], [55, 30, 8, 7]
        )[0]
        arrival = _month_start(start, 2)
        if permit_lag:
            residences.append(
                ResidenceSpell(
                    worker_id=w.pk,
                    city_id=city,
                    start=arrival,
                    end=_month_end(_month_start(start, -permit_lag)),
                    permit_held=False,
                    tenure=tenure,
                    note=NOTE,
                )
            )
            arrival = _month_start(start, -permit_lag)
        residences.append(
            ResidenceSpell(
                worker_id=w.pk,
                city_id=city,
                start=arrival,
                end=None,
                permit_held=rng.random() < 0.75,
                tenure=tenure,
                note=NOTE,
            )
        )
        kinds = KINDS_FULL if rng.random() < 0.5 else KINDS_MINIMAL
        gap = rng.random() < 0.2 and months_here > 24
        for kind in kinds:
            if gap:
                middle = _month_start(today, months_here // 2)
                contributions.append(
                    ContributionSpell(
                        worker_id=w.pk,
                        city_id=city,
                        kind=kind,
                        start=start,
                        end=_month_end(middle),
                        note=NOTE,
                    )
                )
                contributions.append(
                    ContributionSpell(
                        worker_id=w.pk,
                        city_id=city,
                        kind=kind,
                        start=_month_start(middle, -4),
                        end=None,
                        note=NOTE,
                    )
                )
            else:
                contributions.append(
                    ContributionSpell(
                        worker_id=w.pk, city_id=city, kind=kind, start=start, end=None, note=NOTE
                    )
                )
        # A third had an earlier job in another city (often in the home province).
        earlier = city_of(w.hukou_region_id)
        if earlier and earlier != city and rng.random() < 0.35:
            before = _month_start(start, rng.choice([6, 12, 24, 36]))
            end = _month_end(_month_start(start, 3))
            if before < end:
                contributions.append(
                    ContributionSpell(
                        worker_id=w.pk,
                        city_id=earlier,
                        kind=ContributionKind.PENSION,
                        start=before,
                        end=end,
                        note=NOTE,
                    )
                )
                residences.append(
                    ResidenceSpell(
                        worker_id=w.pk,
                        city_id=earlier,
                        start=before,
                        end=end,
                        permit_held=False,
                        tenure=Tenure.RENTED,
                        note=NOTE,
                    )
                )
        if rng.random() < 0.5:
            facts.append(
                DeclaredFact(worker_id=w.pk, key=FactKey.NO_CRIMINAL_RECORD, value=1, evidence=NOTE)
            )
        if rng.random() < 0.3:
            facts.append(
                DeclaredFact(worker_id=w.pk, key=FactKey.INCOME_TAX_PAID, value=1, evidence=NOTE)
            )
    with transaction.atomic():
        ContributionSpell.objects.bulk_create(contributions, batch_size=1000)
        ResidenceSpell.objects.bulk_create(residences, batch_size=1000)
        DeclaredFact.objects.bulk_create(facts, batch_size=1000)
    run = eligibility_batch_run(day=today)
    return {
        "settlement_workers": len({c.worker_id for c in contributions}),
        "contribution_spells": len(contributions),
        "residence_spells": len(residences),
        "declared_facts": len(facts),
        "eligibility_results": run["workers"],
    }
