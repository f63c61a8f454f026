"""Writes of a worker's social-insurance and residence history and declared facts.

`history_save_batch` is the entry point for importers (and the bulk API): it validates every
row first, names each bad field as `<list>.<row>.<field>` (rows from 1), and saves all or
nothing in one transaction with one audit row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldError, FieldErrors, NotFound, ValidationFailed
from gongyou.regions.selectors import region_names
from gongyou.workers.models import Worker

from ..enums import ContributionKind, FactKey, Tenure
from ..models import ContributionSpell, DeclaredFact, ResidenceSpell
from ..policies import history_require_can_edit

CONTRIBUTION_FIELDS = ["city", "kind", "start", "end", "note"]
RESIDENCE_FIELDS = ["city", "start", "end", "permit_held", "tenure", "note"]
MAX_BATCH = 500


class SpellChanged(Conflict):
    code = "spell_changed"


@dataclass(frozen=True)
class _Spec:
    model: type[ContributionSpell] | type[ResidenceSpell]
    fields: list[str]
    action: str
    noun: str


CONTRIBUTION = _Spec(
    ContributionSpell, CONTRIBUTION_FIELDS, "settlement.contribution", "contribution"
)
RESIDENCE = _Spec(ResidenceSpell, RESIDENCE_FIELDS, "settlement.residence", "residence")


def clean_city(field: str, value: Any, errors: FieldErrors) -> str | None:
    code = str(value or "").strip()
    if not code:
        errors.add(field, "required", _("Give the city (a prefecture-level region code)."))
        return None
    names = region_names()
    if code not in names:
        errors.add(field, "unknown_region", _("%(code)s is not a region code.") % {"code": code})
        return None
    level = names[code][1]
    if level != "city":
        hint = names[code][2] if level == "county" else None
        errors.add(
            field,
            "not_a_city",
            _("%(code)s is a %(level)s; give the prefecture-level city code%(hint)s.")
            % {
                "code": code,
                "level": _("district or county") if level == "county" else _("province"),
                "hint": _(" (%(c)s)") % {"c": hint} if hint else "",
            },
        )
        return None
    return code


def _clean_spell(
    spec: _Spec, data: Mapping[str, Any], errors: FieldErrors, prefix: str = ""
) -> dict[str, Any]:
    p = prefix
    today = timezone.localdate()
    out: dict[str, Any] = {"city": clean_city(f"{p}city", data.get("city"), errors)}
    if "start" not in data or data.get("start") in (None, ""):
        errors.add(f"{p}start", "required", _("Give the first month (from)."))
    out["start"] = clean_date(f"{p}start", data.get("start"), errors, today=today)
    out["end"] = clean_date(f"{p}end", data.get("end"), errors, today=today)
    if out["start"] and out["end"] and out["end"] < out["start"]:
        errors.add(f"{p}end", "before_start", _("“To” is before “from”."))
    if spec is CONTRIBUTION:
        kind = str(data.get("kind") or "")
        if kind not in ContributionKind.values:
            errors.add(
                f"{p}kind",
                "invalid_choice" if kind else "required",
                _("Choose the insurance: %(choices)s.")
                % {"choices": ", ".join(ContributionKind.values)},
            )
        out["kind"] = kind
    else:
        tenure = str(data.get("tenure") or "")
        if tenure not in Tenure.values:
            errors.add(
                f"{p}tenure",
                "invalid_choice" if tenure else "required",
                _("Choose the housing: %(choices)s.") % {"choices": ", ".join(Tenure.values)},
            )
        out["tenure"] = tenure
        permit = data.get("permit_held", False)
        if not isinstance(permit, bool):
            if str(permit).lower() in ("1", "true", "yes", "on"):
                permit = True
            elif str(permit).lower() in ("0", "false", "no", "off", ""):
                permit = False
            else:
                errors.add(f"{p}permit_held", "invalid_type", _("Answer yes or no."))
        out["permit_held"] = bool(permit)
    note = str(data.get("note") or "").strip()
    if len(note) > 200:
        errors.add(f"{p}note", "too_long", _("At most 200 characters."))
    out["note"] = note[:200]
    return out


def _key(spec: _Spec, values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(values.get(f) for f in spec.fields if f != "note")


def _existing_keys(spec: _Spec, worker: Worker, exclude: int | None = None) -> set[tuple[Any, ...]]:
    qs = spec.model.objects.filter(worker=worker)
    if exclude:
        qs = qs.exclude(pk=exclude)
    cols = [("city_id" if f == "city" else f) for f in spec.fields if f != "note"]
    return set(qs.values_list(*cols))


def _summary(spec: _Spec, values: Mapping[str, Any]) -> str:
    names = region_names()
    city = names.get(values["city"], (values["city"],))[0]
    span = f"{values['start']}–{values['end'] or _('now')}"
    extra = values.get("kind") or values.get("tenure") or ""
    return f"{spec.noun}: {city} {extra} {span}"


def _add(spec: _Spec, *, actor: Actor, worker: Worker, data: Mapping[str, Any]) -> Any:
    history_require_can_edit(actor, worker)
    errors = FieldErrors()
    values = _clean_spell(spec, data, errors)
    errors.raise_if_any()
    if _key(spec, values) in _existing_keys(spec, worker):
        raise ValidationFailed(
            fields={"start": FieldError("duplicate", _("This spell is already recorded."))}
        )
    spell = spec.model.objects.create(
        worker=worker,
        recorded_by=actor.user if getattr(actor.user, "pk", None) else None,
        city_id=values.pop("city"),
        **values,
    )
    audit_record(
        actor=actor.user,
        action=f"{spec.action}.add",
        entity=spell,
        after=snapshot(spell, spec.fields),
        worker_id=worker.pk,
        region_code=spell.city_id,
        summary=_summary(spec, {**values, "city": spell.city_id}),
    )
    return spell


def _update(
    spec: _Spec,
    *,
    actor: Actor,
    worker: Worker,
    spell_id: int,
    data: Mapping[str, Any],
    version: int,
) -> Any:
    history_require_can_edit(actor, worker)
    spell = spec.model.objects.select_for_update().filter(worker=worker, pk=spell_id).first()
    if spell is None:
        raise NotFound()
    if spell.version != version:
        raise SpellChanged(_("Someone else changed this record; reload and try again."))
    before = snapshot(spell, spec.fields)
    merged = {**before, **{k: v for k, v in data.items() if k in spec.fields}}
    errors = FieldErrors()
    values = _clean_spell(spec, merged, errors)
    errors.raise_if_any()
    if _key(spec, values) in _existing_keys(spec, worker, exclude=spell.pk):
        raise ValidationFailed(
            fields={"start": FieldError("duplicate", _("This spell is already recorded."))}
        )
    spell.city_id = values.pop("city")
    for k, v in values.items():
        setattr(spell, k, v)
    spell.version += 1
    spell.save()
    audit_record(
        actor=actor.user,
        action=f"{spec.action}.update",
        entity=spell,
        before=before,
        after=snapshot(spell, spec.fields),
        worker_id=worker.pk,
        region_code=spell.city_id,
        summary=_summary(spec, snapshot(spell, spec.fields)),
    )
    return spell


def _delete(spec: _Spec, *, actor: Actor, worker: Worker, spell_id: int) -> None:
    history_require_can_edit(actor, worker)
    spell = spec.model.objects.select_for_update().filter(worker=worker, pk=spell_id).first()
    if spell is None:
        raise NotFound()
    before = snapshot(spell, spec.fields)
    audit_record(
        actor=actor.user,
        action=f"{spec.action}.delete",
        entity=spell,
        before=before,
        worker_id=worker.pk,
        region_code=spell.city_id,
        summary=_summary(spec, before),
    )
    spell.delete()


@transaction.atomic
def contribution_add(*, actor: Actor, worker: Worker, data: Mapping[str, Any]) -> ContributionSpell:
    """Record months of one social-insurance kind in one city (`end` empty = still paying)."""
    return _add(CONTRIBUTION, actor=actor, worker=worker, data=data)


@transaction.atomic
def contribution_update(
    *, actor: Actor, worker: Worker, spell_id: int, data: Mapping[str, Any], version: int
) -> ContributionSpell:
    return _update(
        CONTRIBUTION, actor=actor, worker=worker, spell_id=spell_id, data=data, version=version
    )


@transaction.atomic
def contribution_delete(*, actor: Actor, worker: Worker, spell_id: int) -> None:
    _delete(CONTRIBUTION, actor=actor, worker=worker, spell_id=spell_id)


@transaction.atomic
def residence_add(*, actor: Actor, worker: Worker, data: Mapping[str, Any]) -> ResidenceSpell:
    """Record living in one city, with housing tenure and whether a residence permit was held."""
    return _add(RESIDENCE, actor=actor, worker=worker, data=data)


@transaction.atomic
def residence_update(
    *, actor: Actor, worker: Worker, spell_id: int, data: Mapping[str, Any], version: int
) -> ResidenceSpell:
    return _update(
        RESIDENCE, actor=actor, worker=worker, spell_id=spell_id, data=data, version=version
    )


@transaction.atomic
def residence_delete(*, actor: Actor, worker: Worker, spell_id: int) -> None:
    _delete(RESIDENCE, actor=actor, worker=worker, spell_id=spell_id)


@transaction.atomic
def history_save_batch(
    *,
    actor: Actor,
    worker: Worker,
    contributions: Sequence[Mapping[str, Any]] | None = None,
    residences: Sequence[Mapping[str, Any]] | None = None,
    replace: bool = False,
) -> dict[str, int]:
    """Validate and save many spells for one worker: all rows or none.

    For importers and the bulk API. `replace=True` first deletes the worker's existing spells of
    each list that is given (a full history re-sent by a source system); otherwise rows already
    recorded identically are skipped, so re-sending the same file is harmless.
    Errors name `contributions.<n>.<field>` / `residences.<n>.<field>`, n counted from 1.
    """
    history_require_can_edit(actor, worker)
    errors = FieldErrors()
    total = len(contributions or []) + len(residences or [])
    if total > MAX_BATCH:
        errors.add("body", "too_many", _("At most %(n)s spells at once.") % {"n": MAX_BATCH})
        errors.raise_if_any()
    batches: list[tuple[_Spec, list[dict[str, Any]], bool]] = []
    for spec, rows, name in (
        (CONTRIBUTION, contributions, "contributions"),
        (RESIDENCE, residences, "residences"),
    ):
        if rows is None:
            continue
        cleaned = [
            _clean_spell(spec, row, errors, prefix=f"{name}.{i}.") for i, row in enumerate(rows, 1)
        ]
        batches.append((spec, cleaned, True))
    errors.raise_if_any()
    counts = {"contributions": 0, "residences": 0, "skipped": 0, "deleted": 0}
    for spec, cleaned, _given in batches:
        name = "contributions" if spec is CONTRIBUTION else "residences"
        if replace:
            deleted, _detail = spec.model.objects.filter(worker=worker).delete()
            counts["deleted"] += deleted
        seen = _existing_keys(spec, worker)
        new = []
        for values in cleaned:
            key = _key(spec, values)
            if key in seen:
                counts["skipped"] += 1
                continue
            seen.add(key)
            values = dict(values)
            new.append(
                spec.model(
                    worker=worker,
                    recorded_by=actor.user if getattr(actor.user, "pk", None) else None,
                    city_id=values.pop("city"),
                    **values,
                )
            )
        spec.model.objects.bulk_create(new)  # type: ignore[arg-type]
        counts[name] = len(new)
    audit_record(
        actor=actor.user,
        action="settlement.history.batch",
        entity=worker,
        after={**counts, "replace": replace},
        worker_id=worker.pk,
        summary=_(
            "History saved: %(c)s contribution spells, %(r)s residence spells (%(s)s already recorded)"
        )
        % {"c": counts["contributions"], "r": counts["residences"], "s": counts["skipped"]},
    )
    return counts


@transaction.atomic
def declared_fact_set(
    *, actor: Actor, worker: Worker, key: str, value: Any, evidence: str = ""
) -> DeclaredFact | None:
    """Record (or, with an empty value, clear) a fact staff have checked, with the evidence seen."""
    history_require_can_edit(actor, worker)
    errors = FieldErrors()
    if key not in FactKey.values:
        errors.add("key", "invalid_choice", _("Unknown fact."))
    amount: Decimal | None = None
    if value not in (None, ""):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            errors.add("value", "invalid", _("Enter a number."))
        else:
            if amount < 0 or amount > Decimal("999999"):
                errors.add("value", "out_of_range", _("Enter a number from 0 to 999999."))
    evidence = str(evidence or "").strip()
    if len(evidence) > 200:
        errors.add("evidence", "too_long", _("At most 200 characters."))
    errors.raise_if_any()
    existing = DeclaredFact.objects.select_for_update().filter(worker=worker, key=key).first()
    before = {"value": str(existing.value), "evidence": existing.evidence} if existing else None
    if amount is None:
        if existing is None:
            return None
        existing.delete()
        fact = None
        after = None
    else:
        fact, _created = DeclaredFact.objects.update_or_create(
            worker=worker,
            key=key,
            defaults={
                "value": amount,
                "evidence": evidence,
                "recorded_by": actor.user if getattr(actor.user, "pk", None) else None,
            },
        )
        after = {"value": str(amount), "evidence": evidence}
    audit_record(
        actor=actor.user,
        action="settlement.fact",
        entity_type="settlement.declaredfact",
        entity_id=f"{worker.pk}:{key}",
        before=before,
        after=after,
        worker_id=worker.pk,
        summary=f"{FactKey(key).label}: {after['value'] if after else _('cleared')}",
    )
    return fact
