"""`X-Loket-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, both directions."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(header: str | None, body: bytes, secret: str) -> bool:
    if not header or not header.startswith(PREFIX) or not secret:
        return False
    return hmac.compare_digest(header.strip().lower(), sign(body, secret))
