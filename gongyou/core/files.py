"""Uploaded evidence files (cases, nominations): checked by size, extension *and* content, then
written outside the web root with their SHA-256. The callers keep their own rows, rights and
timeline entries."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .errors import FieldErrors

# Extension → (content type, accepted leading bytes). The content must match the extension, so
# a program renamed to .pdf is refused.
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
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


def content_matches(extension: str, head: bytes) -> bool:
    if extension == ".m4a":
        return head[4:8] == b"ftyp"
    return any(head.startswith(magic) for magic in EVIDENCE_TYPES[extension][1])


def upload_check(
    *,
    upload: Any,
    errors: FieldErrors,
    max_bytes: int,
    allowed: Collection[str],
    type_message: str,
    field: str = "file",
) -> dict[str, Any]:
    """Name, extension, size and content type of an upload; each problem goes to `errors` under
    `field` (`required`, `type_not_allowed` with `type_message`, `empty`, `too_large`,
    `content_mismatch`)."""
    name = os.path.basename(str(getattr(upload, "name", "") or "")).strip()[:200]
    extension = os.path.splitext(name)[1].lower()
    size = int(getattr(upload, "size", 0) or 0)
    if upload is None or not name:
        errors.add(field, "required", _("Choose a file."))
    elif extension not in allowed or extension not in EVIDENCE_TYPES:
        errors.add(field, "type_not_allowed", type_message)
    elif size == 0:
        errors.add(field, "empty", _("The file is empty."))
    elif size > max_bytes:
        errors.add(
            field,
            "too_large",
            _("The file is larger than %(mb).0f MB.") % {"mb": max_bytes / 1024 / 1024},
        )
    else:
        upload.seek(0)
        if not content_matches(extension, upload.read(16)):
            errors.add(
                field,
                "content_mismatch",
                _("The file's content is not a real %(ext)s file.") % {"ext": extension},
            )
    content_type = EVIDENCE_TYPES[extension][0] if extension in EVIDENCE_TYPES else ""
    return {"name": name, "extension": extension, "size": size, "content_type": content_type}


def upload_write(*, upload: Any, path: Path) -> str:
    """Write the upload to a new file at `path` (never overwriting); its SHA-256 in hex. The
    caller removes the file if the row that names it does not commit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    upload.seek(0)
    with path.open("xb") as out:
        for chunk in upload.chunks(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()
