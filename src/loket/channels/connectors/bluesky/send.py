"""OutboundMessage → an `app.bsky.feed.post` record in the profile's repository.

Bluesky has no idempotency header, but the client may choose a record's key (`rkey`). Loket
derives it from the message's idempotency key, so a retried delivery names the same record:
before creating it, `com.atproto.repo.getRecord` asks whether it exists already (after an
answer that got lost), and then the delivery is reported sent with that record. Creating a
record whose key exists fails (the PDS answered HTTP 500 rather than a conflict); the next
attempt then finds it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

from loket.channels.connectors.bluesky.config import BlueskyConfig
from loket.channels.connectors.bluesky.parse import POST_COLLECTION, POST_URI_PATTERN
from loket.channels.connectors.bluesky.xrpc import Client, LoginRefused, Unreachable, XrpcError
from loket.channels.contracts import DeliveryReceipt, DeliveryStatus, OutboundMessage, Visibility

MAX_GRAPHEMES = 300  # app.bsky.feed.post: maxGraphemes of `text`
MAX_BYTES = 3000  # and its maxLength in UTF-8 bytes
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable
ZERO_WIDTH_JOINER = "\u200d"
HANDLE_END = re.compile(r"[\s.,:;!?)]|$")


def record_key(idempotency_key: str) -> str:
    """A valid TID for the idempotency key, the same every time.

    A TID is 64 bits written as 13 base32-sortable characters, the top bit zero. Normally
    the bits hold the creation time in microseconds and a clock id; here they are the
    first 63 bits of the key's SHA-256, so the same key always names the same record and
    two keys collide with negligible probability. The key therefore tells nothing about
    the post's time: Bluesky orders posts by their `createdAt` and indexing time, not by key.
    """
    value = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big") >> 1
    characters = []
    for _position in range(13):
        characters.append(TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(characters))


def grapheme_count(text: str) -> int:
    """Roughly the user-perceived characters Bluesky counts. Combining marks, variation
    selectors, skin tones, emoji tags and joined emoji add none; a pair of regional
    indicators (a flag) is one. Other rare clusters count more than they should, which
    errs on the safe side: a reply that fits here fits on Bluesky."""
    count = 0
    joining = False
    open_flag = False
    previous = ""
    for character in text:
        code = ord(character)
        extends = (
            unicodedata.combining(character) != 0
            or unicodedata.category(character) in ("Mn", "Me", "Mc")
            or 0xFE00 <= code <= 0xFE0F  # variation selectors
            or 0x1F3FB <= code <= 0x1F3FF  # skin tone modifiers
            or 0xE0020 <= code <= 0xE007F  # emoji tag sequences
            or 0xE0100 <= code <= 0xE01EF
            or character == ZERO_WIDTH_JOINER
            or (previous == "\r" and character == "\n")
        )
        regional = 0x1F1E6 <= code <= 0x1F1FF
        if extends or joining or (regional and open_flag):
            open_flag = False
        else:
            count += 1
            open_flag = regional
        joining = character == ZERO_WIDTH_JOINER
        previous = character
    return count


def send(*, message: OutboundMessage, config: BlueskyConfig, client: Client) -> DeliveryReceipt:
    problem = _refusal(message)
    if problem:
        return DeliveryReceipt(DeliveryStatus.FAILED, error=problem)
    try:
        reply = _reply_refs(message)
    except ValueError as error:
        return DeliveryReceipt(DeliveryStatus.FAILED, error=str(error))
    rkey = record_key(message.idempotency_key)
    try:
        did = client.did
        existing = _existing_record(client, did=did, rkey=rkey)
        if existing:
            return DeliveryReceipt(DeliveryStatus.SENT, external_id=existing)
        record: dict[str, Any] = {
            "$type": POST_COLLECTION,
            "text": message.text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }
        if reply is not None:
            record["reply"] = reply
        facets = _mention_facets(message)
        if facets:
            record["facets"] = facets
        created = client.procedure(
            "com.atproto.repo.createRecord",
            {"repo": did, "collection": POST_COLLECTION, "rkey": rkey, "record": record},
        )
    except LoginRefused as error:
        return DeliveryReceipt(DeliveryStatus.FAILED, error=str(error))
    except Unreachable as error:
        return DeliveryReceipt(DeliveryStatus.RETRY, error=f"Bluesky unreachable: {error}")
    except XrpcError as error:
        return DeliveryReceipt(
            DeliveryStatus.RETRY if error.passing else DeliveryStatus.FAILED,
            error=f"Bluesky: {error.describe()}",
            retry_after=error.retry_after if error.passing else None,
        )
    uri = created.get("uri")
    return DeliveryReceipt(DeliveryStatus.SENT, external_id=uri if isinstance(uri, str) else "")


def _refusal(message: OutboundMessage) -> str:
    """Why the message cannot go out at all, or ""."""
    if message.visibility is Visibility.PRIVATE:
        return "Bluesky direct messages are not supported by Loket; reply in public"
    if not message.text.strip():
        return "an empty post cannot be sent"
    graphemes = grapheme_count(message.text)
    if graphemes > MAX_GRAPHEMES:
        return f"a Bluesky post holds at most {MAX_GRAPHEMES} characters; this has {graphemes}"
    if len(message.text.encode()) > MAX_BYTES:
        return f"a Bluesky post holds at most {MAX_BYTES} bytes of text"
    return ""


def _reply_refs(message: OutboundMessage) -> dict[str, Any] | None:
    """The post's `reply`: parent is the post answered, root the root of its thread. None for
    a new post that answers nothing."""
    context = message.reply_context
    if not context and message.in_reply_to is None:
        return None
    parent = _strong_ref(context)
    root = _strong_ref(context.get("root") or context)
    if parent is None or root is None:
        raise ValueError(
            "the message answered has no Bluesky reference (uri and cid); cannot thread the reply"
        )
    return {"root": root, "parent": parent}


def _strong_ref(value: Any) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    uri, cid = value.get("uri"), value.get("cid")
    if not isinstance(uri, str) or not re.fullmatch(POST_URI_PATTERN, uri):
        return None
    if not isinstance(cid, str) or not cid:
        return None
    return {"uri": uri, "cid": cid}


def _mention_facets(message: OutboundMessage) -> list[dict[str, Any]]:
    """A reply that starts with the citizen's @handle links it, as the Bluesky app does."""
    author = message.reply_context.get("author")
    if not isinstance(author, dict):
        return []
    handle, did = author.get("handle"), author.get("did")
    if not isinstance(handle, str) or not handle or not isinstance(did, str) or not did:
        return []
    mention = f"@{handle}"
    if not message.text.lower().startswith(mention.lower()):
        return []
    if not HANDLE_END.match(message.text, len(mention)):
        return []
    return [
        {
            "$type": "app.bsky.richtext.facet",
            "index": {"byteStart": 0, "byteEnd": len(mention.encode())},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
        }
    ]


def _existing_record(client: Client, *, did: str, rkey: str) -> str:
    """The uri of the record with this key if it exists already, else ""."""
    try:
        answer = client.query(
            "com.atproto.repo.getRecord",
            {"repo": did, "collection": POST_COLLECTION, "rkey": rkey},
        )
    except XrpcError as error:
        if error.status in (400, 404) and (
            error.error == "RecordNotFound" or "could not locate record" in error.message.lower()
        ):
            return ""
        raise
    uri = answer.get("uri")
    return uri if isinstance(uri, str) and uri else f"at://{did}/{POST_COLLECTION}/{rkey}"
