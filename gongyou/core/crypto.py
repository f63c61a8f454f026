"""Field encryption for personal data (ID numbers, phones) and keyed hashes for exact lookup.

AES-256-GCM with a random 96-bit nonce; a stored value is `<key id>$<base64(nonce|ciphertext)>`
so keys can rotate: the first key of GONGYOU_PII_KEYS encrypts, every listed key decrypts.
Exact lookups use HMAC-SHA256 under a separate index key (GONGYOU_PII_INDEX_KEY), so the
database alone reveals neither the values nor, without that key, a way to test guesses.
See docs/decisions/0002-personal-data-encryption.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class KeyRing:
    def __init__(self, spec: str, index_key: str) -> None:
        if not spec or not index_key:
            raise ImproperlyConfigured(
                "GONGYOU_PII_KEYS and GONGYOU_PII_INDEX_KEY must be set (make run creates them "
                "in var/secrets.env; production takes them from its secret store)."
            )
        self.ciphers: dict[str, AESGCM] = {}
        self.primary_id = ""
        for entry in spec.split(","):
            entry = entry.strip()
            if not entry:
                continue
            key_id, sep, b64 = entry.partition(":")
            if not sep or not key_id.isalnum():
                raise ImproperlyConfigured(
                    "GONGYOU_PII_KEYS entries look like 'k1:<base64 32 bytes>'."
                )
            raw = base64.b64decode(b64)
            if len(raw) != 32:
                raise ImproperlyConfigured(f"PII key {key_id} must be 32 bytes.")
            self.ciphers[key_id] = AESGCM(raw)
            self.primary_id = self.primary_id or key_id
        self.index_key = base64.b64decode(index_key)
        if len(self.index_key) < 32:
            raise ImproperlyConfigured("GONGYOU_PII_INDEX_KEY must be at least 32 bytes.")

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(12)
        data = self.ciphers[self.primary_id].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{self.primary_id}${base64.b64encode(nonce + data).decode()}"

    def decrypt(self, token: str, *, context: str) -> str:
        key_id, _, b64 = token.partition("$")
        raw = base64.b64decode(b64)
        return self.ciphers[key_id].decrypt(raw[:12], raw[12:], context.encode()).decode()

    def needs_rotation(self, token: str) -> bool:
        return not token.startswith(self.primary_id + "$")

    def index(self, value: str, *, context: str) -> str:
        return hmac.new(self.index_key, f"{context}:{value}".encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=1)
def keyring() -> KeyRing:
    return KeyRing(settings.PII_KEYS, settings.PII_INDEX_KEY)


def encrypt(plaintext: str, *, context: str) -> str:
    return keyring().encrypt(plaintext, context=context)


def decrypt(token: str, *, context: str) -> str:
    return keyring().decrypt(token, context=context)


def blind_index(value: str, *, context: str) -> str:
    return keyring().index(value, context=context)


def generate_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()
