"""Evidence attachments: checked (size, type by extension *and* content), stored outside the web
root, listed on the case timeline, and every download audited."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gongyou.accounts.policies import Actor
from gongyou.core.audit import audit_record
from gongyou.core.errors import FieldErrors, NotFound

from ..enums import AttachmentKind, CaseEventKind
from ..models import Attachment, Case
from ..policies import case_require_can_note, case_require_visible
from .common import clean_text, record

# Extension → (content type, accepted leading bytes). The content must match the extension, so
# a program renamed to .pdf is refused.
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".m4a": ("audio/mp4", ()),  # checked by its 'ftyp' box below
}
CHUNK = 64 * 1024


def attachments_dir() -> Path:
    return Path(settings.CASE_ATTACHMENTS_DIR)


def _looks_like(extension: str, head: bytes) -> bool:
    if extension == ".m4a":
        return head[4:8] == b"ftyp"
    return any(head.startswith(magic) for magic in ALLOWED_TYPES[extension][1])


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
    name = os.path.basename(str(getattr(upload, "name", "") or "")).strip()[:200]
    extension = os.path.splitext(name)[1].lower()
    size = int(getattr(upload, "size", 0) or 0)
    limit = int(settings.CASE_ATTACHMENT_MAX_BYTES)
    head = b""
    field = f"{prefix}file"
    if upload is None or not name:
        errors.add(field, "required", _("Choose a file."))
    elif extension not in ALLOWED_TYPES:
        errors.add(
            field,
            "type_not_allowed",
            _("Only PDF, JPG, PNG, Word (.docx), Excel (.xlsx), MP3 and M4A files are accepted."),
        )
    elif size == 0:
        errors.add(field, "empty", _("The file is empty."))
    elif size > limit:
        errors.add(
            field,
            "too_large",
            _("The file is larger than %(mb).0f MB.") % {"mb": limit / 1024 / 1024},
        )
    else:
        upload.seek(0)
        head = upload.read(16)
        if not _looks_like(extension, head):
            errors.add(
                field,
                "content_mismatch",
                _("The file's content is not a real %(ext)s file.") % {"ext": extension},
            )
    return {
        "kind": str(kind or ""),
        "name": name,
        "extension": extension,
        "size": size,
        "note": note,
    }


def attachment_store(
    *, actor: Actor, case: Case, upload: Any, checked: dict[str, Any]
) -> Attachment:
    """Write an upload `attachment_check` accepted: the file, its row and the timeline entry.
    The caller has checked the actor's right to add evidence to the case."""
    name, extension, size, kind = (
        checked["name"],
        checked["extension"],
        checked["size"],
        checked["kind"],
    )
    storage_name = f"{case.pk}/{uuid.uuid4().hex}"
    path = attachments_dir() / storage_name
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    upload.seek(0)
    with path.open("xb") as out:
        for chunk in upload.chunks(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    user = actor.user if getattr(actor.user, "pk", None) else None
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                case=case,
                kind=kind,
                original_name=name,
                content_type=ALLOWED_TYPES[extension][0],
                size=size,
                sha256=digest.hexdigest(),
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
