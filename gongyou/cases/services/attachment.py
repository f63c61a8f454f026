"""Evidence attachments: checked (size, type by extension *and* content), stored outside the web
root, listed on the case timeline, and every download audited."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.errors import FieldErrors, NotFound
from gongyou.core.files import EVIDENCE_TYPES, upload_check, upload_write

from ..enums import AttachmentKind, CaseEventKind
from ..models import Attachment, Case
from ..policies import case_require_can_note, case_require_visible
from .common import clean_text, record

ALLOWED_TYPES = EVIDENCE_TYPES  # every evidence type, recordings included


def attachments_dir() -> Path:
    return Path(settings.CASE_ATTACHMENTS_DIR)


def attachment_add(
    *, actor: Actor, case: Case, upload: Any, kind: Any, description: Any = ""
) -> Attachment:
    """Store one uploaded file (a Django UploadedFile) as evidence on the case."""
    case_require_can_note(actor, case)
    errors = FieldErrors()
    checked = attachment_check(upload=upload, kind=kind, description=description, errors=errors)
    errors.raise_if_any()
    return attachment_store(actor=actor, case=case, upload=upload, checked=checked)


def attachment_check(
    *, upload: Any, kind: Any, description: Any, errors: FieldErrors, prefix: str = ""
) -> dict[str, Any]:
    """Validate one upload (size, type by extension and content) without storing it; problems
    go to `errors` under `<prefix>kind`, `<prefix>file`, `<prefix>description`."""
    if str(kind or "") not in AttachmentKind.values:
        errors.add(f"{prefix}kind", "invalid_choice", _("Choose what kind of evidence this is."))
    note = clean_text(f"{prefix}description", description, errors, required=False, limit=300)
    checked = upload_check(
        upload=upload,
        errors=errors,
        max_bytes=int(settings.CASE_ATTACHMENT_MAX_BYTES),
        allowed=ALLOWED_TYPES,
        type_message=_(
            "Only PDF, JPG, PNG, Word (.docx), Excel (.xlsx), MP3 and M4A files are accepted."
        ),
        field=f"{prefix}file",
    )
    return {**checked, "kind": str(kind or ""), "note": note}


def attachment_store(
    *, actor: Actor, case: Case, upload: Any, checked: dict[str, Any]
) -> Attachment:
    """Write an upload `attachment_check` accepted: the file, its row and the timeline entry.
    The caller has checked the actor's right to add evidence to the case."""
    name, size, kind = checked["name"], checked["size"], checked["kind"]
    storage_name = f"{case.pk}/{uuid.uuid4().hex}"
    path = attachments_dir() / storage_name
    sha256 = upload_write(upload=upload, path=path)
    user = actor.user if getattr(actor.user, "pk", None) else None
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                case=case,
                kind=kind,
                original_name=name,
                content_type=checked["content_type"],
                size=size,
                sha256=sha256,
                storage_name=storage_name,
                description=checked["note"],
                uploaded_by=user,
            )
            record(
                case=case,
                actor=actor,
                kind=CaseEventKind.ATTACHMENT,
                action="case.attachment_add",
                summary=_("Evidence added: %(name)s") % {"name": name},
                after={
                    "attachment": attachment.pk,
                    "kind": kind,
                    "size": size,
                    "sha256": attachment.sha256,
                },
            )
    except BaseException:
        path.unlink(missing_ok=True)  # the row did not commit: keep no orphan file
        raise
    return attachment


@transaction.atomic
def attachment_open(
    *, actor: Actor, case: Case, attachment_id: int
) -> tuple[Attachment, IO[bytes]]:
    """The attachment and an open file for someone who may see the case; the access is audited."""
    case_require_visible(actor, case)
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    handle = (attachments_dir() / attachment.storage_name).open("rb")
    audit_record(
        actor=actor.user,
        action="case.attachment_view",
        entity=attachment,
        region_code=case.region_id,
        summary=f"{case.reference}: {attachment.original_name}",
    )
    return attachment, handle
