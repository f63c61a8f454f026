"""Pluggable SMS sending for sign-in codes.

`GONGYOU_SMS_BACKEND` names a class (dotted path) with `send(*, phone: str, text: str) -> None`.
Shipped: `ConsoleBackend` (prints; the default, for development), `FileBackend` (one file per
message under `GONGYOU_SMS_FILE_DIR`: development and end-to-end tests read codes from there)
and `MemoryBackend` (keeps messages in `outbox`, for tests). A real provider (for example a
carrier's or a cloud SMS gateway's HTTP API) is a small class of the same shape; it must raise
`SmsNotSent` when the provider refuses a message.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "gongyou.portal.sms.ConsoleBackend"


class SmsNotSent(Exception):
    """The provider did not accept the message."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleBackend:
    def send(self, *, phone: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {phone}] {text}\n")
        sys.stdout.flush()


def sms_file_dir() -> Path:
    configured = getattr(settings, "GONGYOU_SMS_FILE_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "sms"


class FileBackend:
    """Writes each message as JSON to `<dir>/<phone>/<time>-<id>.json` (newest sorts last)."""

    def send(self, *, phone: str, text: str) -> None:
        folder = sms_file_dir() / phone
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        name = f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.json"
        body = {"to": phone, "text": text, "at": now.isoformat()}
        (folder / name).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


def sms_file_messages(phone: str) -> list[dict[str, Any]]:
    """The messages the FileBackend wrote to a number, oldest first."""
    folder = sms_file_dir() / phone
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


class MemoryBackend:
    outbox: list[dict[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        MemoryBackend.outbox.append({"to": phone, "text": text})


def sms_backend() -> SmsBackend:
    path = getattr(settings, "GONGYOU_SMS_BACKEND", None) or DEFAULT_BACKEND
    backend: SmsBackend = import_string(path)()
    return backend


def sms_send(*, phone: str, text: str) -> None:
    sms_backend().send(phone=phone, text=text)
