"""Eligibility rules (data): create and change a route, validated on every save, audited."""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.classifications.enums import SkillLevel
from gongyou.classifications.selectors import occupation_names
from gongyou.core.audit import audit_record, diff, snapshot
from gongyou.core.errors import Conflict, FieldError, FieldErrors

from ..eligibility import conditions_problems
from ..enums import Trust
from ..models import EligibilityRule
from ..policies import rules_require_can_edit
from .common import bump, clean_int, clean_text, clean_version, lock

RULE_FIELDS = ["occupation", "level", "route", "conditions", "trust", "source", "active"]


def _clean(data: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    out: dict[str, Any] = {}
    occupation = str(data.get("occupation") or "").strip()
    if occupation and occupation not in occupation_names():
        errors.add("occupation", "unknown_occupation", _("Choose a known occupation code."))
    out["occupation_id"] = occupation or None
    level = clean_int("level", data.get("level"), errors, low=1, high=5)
    if level is not None and level not in SkillLevel.values:
        errors.add("level", "invalid_choice", _("Choose a skill level from 5 to 1."))
    out["level"] = level
    out["route"] = clean_text("route", data.get("route"), errors, required=True, limit=200)
    conditions = data.get("conditions")
    if isinstance(conditions, str):
        try:
            conditions = json.loads(conditions)
        except ValueError:
            errors.add("conditions", "invalid_json", _("The conditions are not valid JSON."))
            conditions = None
    if conditions is not None or "conditions" not in errors.errors:
        problems = conditions_problems(conditions)
        if problems:
            errors.add("conditions", "invalid_conditions", " ".join(problems))
    out["conditions"] = conditions
    trust = str(data.get("trust") or "")
    if trust not in Trust.values:
        errors.add("trust", "invalid_choice", _("Say how far the rule is verified (V, S or U)."))
    out["trust"] = trust
    out["source"] = clean_text("source", data.get("source"), errors, required=True, limit=300)
    out["active"] = bool(data.get("active", True))
    return out


def _duplicate() -> Conflict:
    return Conflict(
        _("This occupation and level already have a route of that name."),
        fields={"route": FieldError("duplicate", _("Already exists."))},
    )


@transaction.atomic
def rule_create(*, actor: Actor, data: dict[str, Any]) -> EligibilityRule:
    rules_require_can_edit(actor)
    errors = FieldErrors()
    values = _clean(data, errors)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            rule = EligibilityRule.objects.create(**values)
    except IntegrityError:
        raise _duplicate() from None
    audit_record(
        actor=actor.user,
        action="training.rule.create",
        entity=rule,
        after=snapshot(rule, RULE_FIELDS),
        summary=str(rule),
    )
    return rule


@transaction.atomic
def rule_update(
    *, actor: Actor, rule: EligibilityRule, data: dict[str, Any], version: Any
) -> EligibilityRule:
    rules_require_can_edit(actor)
    errors = FieldErrors()
    version_n = clean_version(version, errors)
    values = _clean(data, errors)
    errors.raise_if_any()
    rule = lock(EligibilityRule, rule.pk, version_n)
    before = snapshot(rule, RULE_FIELDS)
    for field, value in values.items():
        setattr(rule, field, value)
    try:
        with transaction.atomic():
            bump(rule, *RULE_FIELDS)
    except IntegrityError:
        raise _duplicate() from None
    changed_before, changed_after = diff(before, snapshot(rule, RULE_FIELDS))
    audit_record(
        actor=actor.user,
        action="training.rule.update",
        entity=rule,
        before=changed_before,
        after=changed_after,
        summary=str(rule),
    )
    return rule
