"""Construction projects: the wage-arrears warning on a project (set by the early warning or by
a handler with a reason; cleared only by a person, with a reason)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.errors import FieldErrors

from ..models import Project
from ..policies import project_require_can_flag
from .common import clean_text


@transaction.atomic
def project_set_arrears_flag(
    *, actor: Actor | None, project: Project, flagged: Any, reason: Any
) -> Project:
    """Flag or clear. `actor=None` is the early warning (no permission check)."""
    if actor is not None:
        project_require_can_flag(actor, project)
    errors = FieldErrors()
    if not isinstance(flagged, bool):
        errors.add("flagged", "required", _("Say whether to flag or clear."))
    text = clean_text("reason", reason, errors, required=True, limit=300)
    errors.raise_if_any()
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.arrears_flagged == flagged:
        return project
    before = {"arrears_flagged": project.arrears_flagged, "reason": project.arrears_flag_reason}
    project.arrears_flagged, project.arrears_flag_reason = flagged, text
    project.arrears_flag_changed_at = timezone.now()
    project.save(
        update_fields=[
            "arrears_flagged",
            "arrears_flag_reason",
            "arrears_flag_changed_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor.user if actor else None,
        action="project.flag" if flagged else "project.unflag",
        entity=project,
        before=before,
        after={"arrears_flagged": flagged, "reason": text},
        region_code=project.region_id,
        summary=(_("Flagged for wage arrears: %(r)s") if flagged else _("Flag cleared: %(r)s"))
        % {"r": text},
    )
    return project
