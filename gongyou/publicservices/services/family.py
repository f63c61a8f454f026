"""Writes of a worker's family members."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record, snapshot
from gongyou.core.cleaning import clean_date
from gongyou.core.errors import Conflict, FieldErrors, NotFound
from gongyou.workers.models import Worker

from ..enums import Relation, SchoolStage
from ..models import FamilyMember
from ..policies import family_require_can_edit
from .catalogue import VersionChanged, _bool, user_of

FIELDS = ["relation", "name", "birth_date", "school_stage", "lives_with_worker", "note"]


def family_member_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    errors = FieldErrors()
    out: dict[str, Any] = {}
    relation = str(data.get("relation") or "")
    if relation not in Relation.values:
        errors.add(
            "relation",
            "invalid_choice" if relation else "required",
            _("Choose spouse, child, parent or other."),
        )
    out["relation"] = relation
    name = str(data.get("name") or "").strip()
    if not name:
        errors.add("name", "required", _("Give the family member's name."))
    elif len(name) > 50:
        errors.add("name", "too_long", _("At most 50 characters."))
    out["name"] = name
    out["birth_date"] = clean_date("birth_date", data.get("birth_date"), errors)
    if (
        relation == Relation.CHILD
        and out["birth_date"] is None
        and "birth_date" not in errors.errors
    ):
        errors.add(
            "birth_date",
            "required",
            _("Give a child's birth date: school and kindergarten places depend on age."),
        )
    stage = str(data.get("school_stage") or "")
    if stage and stage not in SchoolStage.values:
        errors.add("school_stage", "invalid_choice", _("Choose a school stage from the list."))
    out["school_stage"] = stage
    out["lives_with_worker"] = _bool(data.get("lives_with_worker", True))
    note = str(data.get("note") or "").strip()
    if len(note) > 200:
        errors.add("note", "too_long", _("At most 200 characters."))
    out["note"] = note
    errors.raise_if_any()
    return out


@transaction.atomic
def family_member_add(*, actor: Actor, worker: Worker, data: Mapping[str, Any]) -> FamilyMember:
    family_require_can_edit(actor, worker)
    values = family_member_clean(data)
    Worker.objects.select_for_update().filter(pk=worker.pk).first()  # one spouse, even in a race
    if (
        values["relation"] == Relation.SPOUSE
        and FamilyMember.objects.filter(worker=worker, relation=Relation.SPOUSE).exists()
    ):
        raise Conflict(_("A spouse is already registered; edit that entry instead."))
    member = FamilyMember.objects.create(worker=worker, **values)
    audit_record(
        actor=user_of(actor),
        action="publicservices.family.add",
        entity=member,
        after=snapshot(member, FIELDS),
        worker_id=worker.pk,
        region_code=worker.current_region_id or "",
        summary=f"{member.get_relation_display()} {member.name}",
    )
    return member


def _get(worker: Worker, member_id: int) -> FamilyMember:
    member = FamilyMember.objects.select_for_update().filter(worker=worker, pk=member_id).first()
    if member is None:
        raise NotFound()
    return member


@transaction.atomic
def family_member_update(
    *,
    actor: Actor,
    worker: Worker,
    member_id: int,
    data: Mapping[str, Any],
    expected_version: int,
) -> FamilyMember:
    family_require_can_edit(actor, worker)
    member = _get(worker, member_id)
    if member.version != expected_version:
        raise VersionChanged(_("Someone else changed this entry; reload and try again."))
    values = family_member_clean({**{f: getattr(member, f) for f in FIELDS}, **dict(data)})
    if (
        values["relation"] == Relation.SPOUSE
        and FamilyMember.objects.filter(worker=worker, relation=Relation.SPOUSE)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise Conflict(_("A spouse is already registered; edit that entry instead."))
    before = snapshot(member, FIELDS)
    for k, v in values.items():
        setattr(member, k, v)
    member.version += 1
    member.save()
    audit_record(
        actor=user_of(actor),
        action="publicservices.family.update",
        entity=member,
        before=before,
        after=snapshot(member, FIELDS),
        worker_id=worker.pk,
        region_code=worker.current_region_id or "",
        summary=f"{member.get_relation_display()} {member.name}",
    )
    return member


def family_member_can_remove(member: FamilyMember) -> bool:
    """A family member with referrals on record stays, for the referrals' history (the pages
    offer "Remove" only when this holds; `family_member_remove` refuses otherwise)."""
    return not member.referrals.exists()


@transaction.atomic
def family_member_remove(*, actor: Actor, worker: Worker, member_id: int) -> None:
    family_require_can_edit(actor, worker)
    member = _get(worker, member_id)
    if not family_member_can_remove(member):
        raise Conflict(_("This family member has referrals on record; they stay for the history."))
    before = snapshot(member, FIELDS)
    audit_record(
        actor=user_of(actor),
        action="publicservices.family.remove",
        entity=member,
        before=before,
        worker_id=worker.pk,
        region_code=worker.current_region_id or "",
        summary=f"{member.get_relation_display()} {member.name}",
    )
    member.delete()
