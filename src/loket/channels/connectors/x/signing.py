"""X's webhook security (CRC answer, delivery signature) and OAuth 1.0a request signing.

Both webhook checks are keyed with the app's consumer secret and encoded in base64 (Meta
uses hex). OAuth 1.0a follows RFC 5849 with HMAC-SHA1, as X's v2 endpoints accept it for
user context.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

PREFIX = "sha256="


def _hmac_sha256_base64(key: str, message: bytes) -> str:
    return base64.b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest()).decode()


def crc_response_token(crc_token: str, consumer_secret: str) -> str:
    """The `response_token` X expects back from a Challenge-Response Check."""
    return PREFIX + _hmac_sha256_base64(consumer_secret, crc_token.encode())


def signature(body: bytes, consumer_secret: str) -> str:
    """The `x-twitter-webhooks-signature` value for a raw body."""
    return PREFIX + _hmac_sha256_base64(consumer_secret, body)


def is_valid(header: str | None, body: bytes, consumer_secret: str) -> bool:
    if not header or not consumer_secret:
        return False
    # base64 is case-sensitive: only the prefix may vary in case.
    header = header.strip()
    if header[: len(PREFIX)].lower() != PREFIX:
        return False
    expected = signature(body, consumer_secret)
    return hmac.compare_digest(PREFIX + header[len(PREFIX) :], expected)


def _encode(value: str) -> str:
    # RFC 5849 §3.6: everything but the unreserved characters is percent-encoded.
    return quote(value, safe="~")


def oauth1_header(
    *,
    method: str,
    url: str,
    consumer_key: str,
    consumer_secret: str,
    token: str,
    token_secret: str,
    form: Mapping[str, str] | None = None,
    nonce: str | None = None,
    timestamp: int | None = None,
) -> str:
    """An `Authorization: OAuth …` header for one request.

    Query parameters and form-encoded body parameters are signed; a JSON body is not (RFC
    5849 signs only form bodies), which is how X's v2 JSON endpoints expect it.
    """
    parts = urlsplit(url)
    oauth = {
        "oauth_consumer_key": consumer_key,
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "oauth_token": token,
        "oauth_version": "1.0",
    }
    params = [
        *parse_qsl(parts.query, keep_blank_values=True),
        *(form or {}).items(),
        *oauth.items(),
    ]
    normalised = "&".join(
        f"{key}={value}" for key, value in sorted((_encode(k), _encode(v)) for k, v in params)
    )
    base_url = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))
    base_string = "&".join([method.upper(), _encode(base_url), _encode(normalised)])
    key = f"{_encode(consumer_secret)}&{_encode(token_secret)}"
    oauth["oauth_signature"] = base64.b64encode(
        hmac.new(key.encode(), base_string.encode(), hashlib.sha1).digest()
    ).decode()
    return "OAuth " + ", ".join(f'{_encode(k)}="{_encode(v)}"' for k, v in sorted(oauth.items()))
