"""Meta's verification request:
`GET <callback>?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`.

Meta sends it when the callback URL or the verify token is saved in the App Dashboard, and
delivers nothing until it gets the bare challenge back.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from loket.channels.contracts import HandshakeAnswer

# Meta's challenges are short numbers; anything much longer is not Meta and is not echoed.
MAX_CHALLENGE = 256


def answer(*, query: Mapping[str, str], verify_token: str) -> HandshakeAnswer | None:
    """200 with the bare challenge for a subscribe with our token, 403 for any other
    hub.mode request; None when the request is not a Meta verification at all."""
    mode = query.get("hub.mode")
    if mode is None:
        return None
    challenge = query.get("hub.challenge", "")
    token = query.get("hub.verify_token", "")
    token_matches = bool(verify_token) and hmac.compare_digest(
        token.encode(), verify_token.encode()
    )
    if mode == "subscribe" and token_matches and 0 < len(challenge) <= MAX_CHALLENGE:
        return HandshakeAnswer(status=200, body=challenge)
    return HandshakeAnswer(status=403, body="verification failed")
