"""`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`.

Meta signs the exact bytes it sends (with non-ASCII characters escaped as \\uXXXX), so the
check must run on the raw body: parsing and re-serialising the JSON first changes the bytes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNATURE_HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    return PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (Django's request headers ignore case, a plain
    dict does not)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, candidate in headers.items():
        if key.lower() == wanted:
            return candidate
    return None


def is_valid(headers: Mapping[str, str], body: bytes, app_secret: str) -> bool:
    header = header_value(headers, SIGNATURE_HEADER)
    if not header or not app_secret:
        return False
    given = header.strip()
    if given[: len(PREFIX)].lower() != PREFIX:
        return False
    given = PREFIX + given[len(PREFIX) :].lower()
    return hmac.compare_digest(given.encode(), sign(body, app_secret).encode())
