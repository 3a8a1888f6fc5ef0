"""Encryption of secrets at rest (platform tokens, webhook secrets).

Fernet (AES-128-CBC + HMAC-SHA256) from the `cryptography` package. Keys come from
LOKET_ENCRYPTION_KEYS, newest first, so a key can be rotated without losing what the old one
encrypted; without it, one key is derived from the secret key.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class DecryptionError(Exception):
    """Stored ciphertext cannot be read with any configured key."""


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if keys:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"loket secrets at rest"
    ).derive(secret_key.encode())
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.LOKET_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    try:
        return _current().decrypt(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError(
            "stored secret cannot be decrypted with the configured keys"
        ) from error


def reencrypt(ciphertext: str) -> str:
    """The same secret under the newest key."""
    try:
        return _current().rotate(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError(
            "stored secret cannot be decrypted with the configured keys"
        ) from error
