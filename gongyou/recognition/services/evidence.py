"""Nomination evidence: checked (size, type by extension *and* content), stored outside the web
root, shown on the nomination's timeline, every download audited (as case evidence is)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.errors import Conflict, FieldErrors, NotFound
from gongyou.core.files import upload_check, upload_write

from ..enums import TERMINAL, EvidenceKind, NominationEventKind, Party
from ..models import Nomination, NominationEvidence
from ..policies import nomination_require_party, nomination_require_visible
from .common import clean_text, record

# Documents only (no recordings) for a nomination.
ALLOWED_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx")


def evidence_dir() -> Path:
    """RECOGNITION_EVIDENCE_DIR, or a sibling of the case evidence folder (never the web root)."""
    configured = getattr(settings, "RECOGNITION_EVIDENCE_DIR", None)
    if configured:
        return Path(configured)
    cases = Path(settings.CASE_ATTACHMENTS_DIR)
    return cases.with_name(cases.name + "-recognition")


def evidence_add(
    *, actor: Actor, nomination: Nomination, upload: Any, kind: Any, description: Any = ""
) -> NominationEvidence:
    """Store one uploaded file (a Django UploadedFile) as evidence for the nomination."""
    nomination_require_party(actor, nomination, Party.NOMINATOR)
    errors = FieldErrors()
    if str(kind or "") not in EvidenceKind.values:
        errors.add("kind", "invalid_choice", _("Choose what kind of evidence this is."))
    note = clean_text("description", description, errors, required=False, limit=300)
    checked = upload_check(
        upload=upload,
        errors=errors,
        max_bytes=int(settings.CASE_ATTACHMENT_MAX_BYTES),
        allowed=ALLOWED_TYPES,
        type_message=_("Only PDF, JPG, PNG, Word (.docx) and Excel (.xlsx) files are accepted."),
    )
    name, size = checked["name"], checked["size"]
    errors.raise_if_any()
    if nomination.status in TERMINAL:
        raise Conflict(_("The nomination is closed; no more evidence can be added."))

    storage_name = f"{nomination.pk}/{uuid.uuid4().hex}"
    path = evidence_dir() / storage_name
    sha256 = upload_write(upload=upload, path=path)
    try:
        with transaction.atomic():
            evidence = NominationEvidence.objects.create(
                nomination=nomination,
                kind=kind,
                original_name=name,
                content_type=checked["content_type"],
                size=size,
                sha256=sha256,
                storage_name=storage_name,
                description=note,
                uploaded_by=actor.user,
            )
            record(
                nomination=nomination,
                actor=actor,
                kind=NominationEventKind.EVIDENCE,
                action="recognition.evidence_add",
                summary=_("Evidence added: %(name)s") % {"name": name},
                after={
                    "evidence": evidence.pk,
                    "kind": kind,
                    "size": size,
                    "sha256": evidence.sha256,
                },
            )
    except BaseException:
        path.unlink(missing_ok=True)  # the row did not commit: keep no orphan file
        raise
    return evidence


@transaction.atomic
def evidence_open(
    *, actor: Actor, nomination: Nomination, evidence_id: int
) -> tuple[NominationEvidence, IO[bytes]]:
    """The evidence and an open file for someone who may see the nomination; audited."""
    nomination_require_visible(actor, nomination)
    evidence = NominationEvidence.objects.filter(nomination=nomination, pk=evidence_id).first()
    if evidence is None:
        raise NotFound()
    handle = (evidence_dir() / evidence.storage_name).open("rb")
    audit_record(
        actor=actor.user,
        action="recognition.evidence_view",
        entity=evidence,
        worker_id=nomination.worker_id,
        region_code=nomination.region_id,
        summary=f"{nomination.nominee_name}: {evidence.original_name}",
    )
    return evidence, handle
