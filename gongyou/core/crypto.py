"""Field encryption for personal data (ID numbers, phones) and keyed hashes for exact lookup.

AES-256-GCM with a random 96-bit nonce; a stored value is `<key id>$<base64(nonce|ciphertext)>`
and the field's name (without `_enc`) is the associated data. GONGYOU_PII_KEYS is a key ring,
`k2:<base64>,k1:<base64>`: the first (primary) key encrypts, every listed key decrypts, the key
id in the value says which one. Rotation: put a new key first, run `gongyou pii-rekey` (the
privacy app re-encrypts every `*_enc` column in the background), then drop the old key.
Exact lookups use HMAC-SHA256 under a separate index key (GONGYOU_PII_INDEX_KEY), so the
database alone reveals neither the values nor, without that key, a way to test guesses.
See docs/decisions/0002-personal-data-encryption.md and docs/domains/privacy.md.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

# Encrypted columns are the model fields whose name ends with this; the rest of the name is the
# associated data (ADR 0002), so the rekey task finds every one of them without a registry.
ENCRYPTED_SUFFIX = "_enc"
MAX_KEY_ID = 16


class MissingPiiKey(ImproperlyConfigured):
    """A stored value names a key that is not in GONGYOU_PII_KEYS (retired too early)."""


def _b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{what} is not valid base64.") from exc


class KeyRing:
    def __init__(self, spec: str, index_key: str) -> None:
        if not spec or not index_key:
            raise ImproperlyConfigured(
                "GONGYOU_PII_KEYS and GONGYOU_PII_INDEX_KEY must be set (make run creates them "
                "in var/secrets.env; production takes them from its secret store)."
            )
        self.ciphers: dict[str, AESGCM] = {}
        self.primary_id = ""
        for raw_entry in spec.split(","):
            entry = raw_entry.strip()
            if not entry:
                continue
            key_id, sep, b64 = entry.partition(":")
            if not sep or not key_id.isalnum() or not key_id.isascii() or len(key_id) > MAX_KEY_ID:
                raise ImproperlyConfigured(
                    "GONGYOU_PII_KEYS entries look like 'k1:<base64 32 bytes>' (key id: letters "
                    f"and digits, at most {MAX_KEY_ID})."
                )
            if key_id in self.ciphers:
                raise ImproperlyConfigured(
                    f"PII key id {key_id} appears twice in GONGYOU_PII_KEYS."
                )
            raw = _b64(b64, f"PII key {key_id}")
            if len(raw) != 32:
                raise ImproperlyConfigured(f"PII key {key_id} must be 32 bytes.")
            self.ciphers[key_id] = AESGCM(raw)
            self.primary_id = self.primary_id or key_id
        if not self.ciphers:
            raise ImproperlyConfigured("GONGYOU_PII_KEYS lists no key.")
        self.index_key = _b64(index_key, "GONGYOU_PII_INDEX_KEY")
        if len(self.index_key) < 32:
            raise ImproperlyConfigured("GONGYOU_PII_INDEX_KEY must be at least 32 bytes.")

    @property
    def key_ids(self) -> list[str]:
        """Every key id, the primary first."""
        return list(self.ciphers)

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(12)
        data = self.ciphers[self.primary_id].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{self.primary_id}${base64.b64encode(nonce + data).decode()}"

    def decrypt(self, token: str, *, context: str) -> str:
        key_id, _, b64 = token.partition("$")
        cipher = self.ciphers.get(key_id)
        if cipher is None:
            raise MissingPiiKey(
                f"Personal data was encrypted with PII key '{key_id}', which is not in "
                f"GONGYOU_PII_KEYS (it lists {', '.join(self.ciphers)}). Put that key back; "
                "retire a key only after `gongyou pii-rekey` has finished."
            )
        raw = base64.b64decode(b64)
        return cipher.decrypt(raw[:12], raw[12:], context.encode()).decode()

    def needs_rotation(self, token: str) -> bool:
        return bool(token) and not token.startswith(self.primary_id + "$")

    def reencrypt(self, token: str, *, context: str) -> str | None:
        """`token` under the primary key, or None when it already is (or is empty)."""
        if not self.needs_rotation(token):
            return None
        return self.encrypt(self.decrypt(token, context=context), context=context)

    def index(self, value: str, *, context: str) -> str:
        return hmac.digest(self.index_key, f"{context}:{value}".encode(), "sha256").hex()


def key_id_of(token: str) -> str:
    """The key id a stored value was encrypted with ('' for an empty value)."""
    return token.partition("$")[0] if token else ""


@lru_cache(maxsize=1)
def keyring() -> KeyRing:
    return KeyRing(settings.PII_KEYS, settings.PII_INDEX_KEY)


@receiver(setting_changed)
def _keys_changed(*, setting: str, **_: Any) -> None:
    if setting in {"PII_KEYS", "PII_INDEX_KEY"}:
        keyring.cache_clear()


def encrypt(plaintext: str, *, context: str) -> str:
    return keyring().encrypt(plaintext, context=context)


def decrypt(token: str, *, context: str) -> str:
    return keyring().decrypt(token, context=context)


def reencrypt(token: str, *, context: str) -> str | None:
    return keyring().reencrypt(token, context=context)


def primary_key_id() -> str:
    return keyring().primary_id


def blind_index(value: str, *, context: str) -> str:
    return keyring().index(value, context=context)


def generate_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def encrypted_fields() -> list[tuple[type[models.Model], str, str]]:
    """Every encrypted column of every installed model: (model, field name, context), in a
    stable order (app label, model name, field)."""
    out: list[tuple[type[models.Model], str, str]] = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.name.endswith(ENCRYPTED_SUFFIX) and isinstance(
                field, models.TextField | models.CharField
            ):
                out.append((model, field.name, field.name.removesuffix(ENCRYPTED_SUFFIX)))
    return sorted(out, key=lambda t: (t[0]._meta.label_lower, t[1]))
