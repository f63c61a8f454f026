"""The one lifecycle of versioned policy data: draft → published → withdrawn (VERSION_TRANSITIONS).

Settlement policy versions and the public-service catalogue's versions (ADR 0012) are both a
series of dated versions under a parent (a policy, a service), with at most one published
version in force on any day; both tables share `settlement.models.VersionedRuleSet`. This module
is the single implementation of writing one of them. `versioned_create` drafts a version (a copy
of the latest or of a chosen one, overlaid by new values, numbered after the last) and
`versioned_update` edits a draft (published versions are frozen), each checking the stored
values together with the new ones. `versioned_transition` moves a version: the transition table,
the reason a published version is withdrawn, re-validating a draft before it is published,
closing the open-ended predecessor (the day before the new one starts) and refusing any other
overlap. Edits and transitions check the optimistic `version`; every write is audited. Callers
check their own editing rights first and describe their series with a `VersionSeries`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gongyou.core import audit
from gongyou.core.audit import audit_record
from gongyou.core.errors import Conflict, FieldError, FieldErrors, NotFound, ValidationFailed

from ..enums import VERSION_TRANSITIONS, Trust, VersionStatus


class VersionChanged(Conflict):
    code = "version_changed"


class VersionTransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class VersionOverlap(Conflict):
    code = "version_overlap"


@dataclass(frozen=True)
class VersionSeries:
    """How one kind of versioned data is stored, checked and audited.

    `model` (a `VersionedRuleSet`) has a foreign key `parent` to a row with `name` and
    `city_id`. `fields` are the values an editor sets; the audit view of a version is them plus
    `status` and `number`. `clean(data, parent)` checks all of them at once (raising
    ValidationFailed naming each bad one) and returns the values to store. `not_draft` is the
    refusal to edit a version that is no longer a draft. Audit actions are
    `<audit_prefix>.create`, `.update`, `.transition` and `.close`.
    """

    model: type[models.Model]
    parent: str
    audit_prefix: str
    fields: tuple[str, ...]
    clean: Callable[[Mapping[str, Any], Any], dict[str, Any]]
    not_draft: Promise

    def snapshot(self, version: Any) -> dict[str, Any]:
        return audit.snapshot(version, [*self.fields, "status", "number"])

    def current(self, version: Any) -> dict[str, Any]:
        """The stored values of `fields` as `clean` accepts them (a foreign key as its id)."""
        meta = self.model._meta
        return {f: getattr(version, getattr(meta.get_field(f), "attname", f)) for f in self.fields}

    def check(self, version: Any) -> None:
        """Validate a version's stored values again (before it is published)."""
        self.clean(self.current(version), getattr(version, self.parent))

    def parent_field(self) -> Any:
        return self.model._meta.get_field(self.parent)

    def lock_parent(self, pk: Any) -> None:
        """Lock the parent row: drafts and publications of one series are serialised on it."""
        parent_model = self.parent_field().related_model
        assert isinstance(parent_model, type) and issubclass(parent_model, models.Model)
        parent_model._default_manager.select_for_update().filter(pk=pk).first()


@transaction.atomic
def versioned_create(
    *,
    series: VersionSeries,
    user: Any,
    parent: Any,
    data: Mapping[str, Any] | None = None,
    copy_from: Any = None,
) -> Any:
    """A new draft under `parent`: the fields of `copy_from` (default: the latest version)
    overlaid by `data`, numbered after the last version of the series.

    `copy_from` must belong to the same parent (NotFound otherwise)."""
    series.lock_parent(parent.pk)
    if copy_from is not None and getattr(copy_from, series.parent_field().attname) != parent.pk:
        raise NotFound()
    versions = series.model._default_manager.filter(**{series.parent: parent})
    base = copy_from or versions.order_by("-number").first()
    start = series.current(base) if base is not None else {}
    values = series.clean({**start, **dict(data or {})}, parent)
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version: Any = series.model._default_manager.create(
        **{series.parent: parent},
        number=number,
        status=VersionStatus.DRAFT,
        created_by=user,
        **values,
    )
    audit_record(
        actor=user,
        action=f"{series.audit_prefix}.create",
        entity=version,
        after=series.snapshot(version),
        region_code=parent.city_id,
        summary=f"{parent.name} v{number}",
    )
    return version


def versioned_can_edit(version: Any) -> bool:
    """Only a draft is edited; published and withdrawn versions are frozen (draft a new one)."""
    return bool(version.status == VersionStatus.DRAFT)


@transaction.atomic
def versioned_update(
    *,
    series: VersionSeries,
    user: Any,
    version: Any,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> Any:
    """Edit a draft (published versions are frozen: draft a new one). `data` overlays the stored
    fields and the whole is checked again."""
    # Only the version row is locked: an edit changes nothing the parent's lock serialises.
    locked: Any = (
        series.model._default_manager.select_for_update(of=("self",))
        .select_related(series.parent)
        .get(pk=version.pk)
    )
    if locked.version != expected_version:
        raise VersionChanged(_("Someone else changed this version; reload and try again."))
    if not versioned_can_edit(locked):
        raise Conflict(str(series.not_draft))
    parent = getattr(locked, series.parent)
    values = series.clean({**series.current(locked), **dict(data)}, parent)
    before = series.snapshot(locked)
    for k, v in values.items():
        setattr(locked, k, v)
    locked.version += 1
    locked.save()
    audit_record(
        actor=user,
        action=f"{series.audit_prefix}.update",
        entity=locked,
        before=before,
        after=series.snapshot(locked),
        region_code=parent.city_id,
        summary=f"{parent.name} v{locked.number}",
    )
    return locked


@transaction.atomic
def versioned_transition(
    *,
    series: VersionSeries,
    user: Any,
    version: Any,
    to_status: str,
    reason: str = "",
    expected_version: int,
) -> Any:
    """Publish a draft (closing the open-ended version it follows) or withdraw a version.

    The parent row is locked first, so two publications in one series are serialised."""
    series.lock_parent(getattr(version, series.parent_field().attname))
    locked: Any = (
        series.model._default_manager.select_for_update()
        .select_related(series.parent)
        .get(pk=version.pk)
    )
    if locked.version != expected_version:
        raise VersionChanged(_("Someone else changed this version; reload and try again."))
    if to_status not in VERSION_TRANSITIONS.get(locked.status, frozenset()):
        raise VersionTransitionNotAllowed(
            _("A %(from)s version cannot become %(to)s.")
            % {"from": locked.get_status_display(), "to": to_status},
            fields={"to_status": FieldError("not_allowed", _("Not allowed from this status."))},
        )
    reason = (reason or "").strip()
    if (
        to_status == VersionStatus.WITHDRAWN
        and locked.status == VersionStatus.PUBLISHED
        and not reason
    ):
        raise ValidationFailed(
            fields={
                "reason": FieldError("required", _("Say why a published version is withdrawn."))
            }
        )
    parent = getattr(locked, series.parent)
    before = series.snapshot(locked)
    if to_status == VersionStatus.PUBLISHED:
        series.check(locked)
        _close_predecessor(series, user, locked, parent)
        locked.published_at = timezone.now()
    locked.status = to_status
    locked.version += 1
    locked.save()
    audit_record(
        actor=user,
        action=f"{series.audit_prefix}.transition",
        entity=locked,
        before=before,
        after={**series.snapshot(locked), "reason": reason},
        region_code=parent.city_id,
        summary=f"{parent.name} v{locked.number}: {to_status}" + (f" ({reason})" if reason else ""),
    )
    return locked


def _close_predecessor(series: VersionSeries, user: Any, new: Any, parent: Any) -> None:
    start, end = new.effective_from, new.effective_to
    overlapping: Any = (
        series.model._default_manager.select_for_update()
        .filter(**{series.parent: parent.pk}, status=VersionStatus.PUBLISHED)
        .exclude(pk=new.pk)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    )
    if end is not None:
        overlapping = overlapping.filter(effective_from__lte=end)
    for other in overlapping:
        if other.effective_to is None and other.effective_from < start:
            before = series.snapshot(other)
            other.effective_to = start - dt.timedelta(days=1)
            other.version += 1
            other.save(update_fields=["effective_to", "version", "updated_at"])
            audit_record(
                actor=user,
                action=f"{series.audit_prefix}.close",
                entity=other,
                before=before,
                after=series.snapshot(other),
                region_code=parent.city_id,
                summary=_("v%(old)s ends %(day)s: v%(new)s follows")
                % {"old": other.number, "day": other.effective_to, "new": new.number},
            )
            continue
        raise VersionOverlap(
            _(
                "Version %(n)s is in force from %(a)s to %(b)s, which overlaps; withdraw it or change the dates."
            )
            % {"n": other.number, "a": other.effective_from, "b": other.effective_to or _("open")},
            fields={"effective_from": FieldError("overlap", _("Overlaps a published version."))},
        )


def provenance_clean(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """The source, trust mark and summary every versioned rule set carries (settlement policies,
    public-service versions), each bad field named in `errors`."""
    source = str(data.get("source") or "").strip()
    if not source:
        errors.add("source", "required", _("Name the source (document, publisher, date or URL)."))
    elif len(source) > 500:
        errors.add("source", "too_long", _("At most 500 characters."))
    trust = str(data.get("trust") or "")
    if trust not in Trust.values:
        errors.add("trust", "invalid_choice" if trust else "required", _("Choose V, S or U."))
    return {"source": source, "trust": trust, "summary": str(data.get("summary") or "").strip()}
