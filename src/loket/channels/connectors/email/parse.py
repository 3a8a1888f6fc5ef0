"""Raw e-mail (RFC 5322 bytes as fetched over IMAP) → InboundMessage. Pure: no database, no network.

One e-mail is one message. Automatic mail (auto-replies, bulk mail, bounces) parses to an
empty list: stored in the ledger, but no message and no case.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from loket.channels.connectors.email.message_ids import (
    msg_ids,
    references_for_reply,
    stored_id,
)
from loket.channels.connectors.email.text import (
    clean,
    html_to_text,
    without_quoted_history,
)
from loket.channels.contracts import (
    Attachment,
    Author,
    ConversationKind,
    InboundMessage,
    PayloadError,
    Visibility,
)

# The poller puts this trace header on top of every message it stores, naming the profile's own
# address, so that this pure function can tell our own mail (the echo guard) from a citizen's.
OWN_ADDRESS_HEADER = b"X-Loket-Own-Address"
# A message without a usable Date or Received header: the start of Unix time, so it sorts
# before everything else rather than pretending to be new (see the README).
NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)
# A Date later than this after the receiving server's time is a wrong clock at the sender.
CLOCK_SKEW = timedelta(days=1)
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list"}
AUTOMATIC_SENDERS = {"mailer-daemon"}
MAX_ATTACHMENTS = 50
MAX_DEPTH = 20
MAX_HEADER_TEXT = 300


def parse(body: bytes) -> list[InboundMessage]:
    own_address, raw = split_own_address(body)
    if not raw.strip():
        raise PayloadError("the e-mail is empty")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        return _messages(message, raw, own_address)
    except PayloadError:
        raise
    except Exception as error:
        # The stdlib's header and MIME parsers have raised IndexError, ValueError, TypeError,
        # AttributeError, LookupError and RecursionError on crafted mail over the years; a
        # hostile message must be refused with a reason, never crash the worker.
        raise PayloadError(f"unreadable e-mail ({type(error).__name__})") from None


def split_own_address(body: bytes) -> tuple[str, bytes]:
    """The profile's own address from the poller's trace header, and the mail as received."""
    prefix = OWN_ADDRESS_HEADER + b": "
    if not body.startswith(prefix):
        return "", body
    line, _newline, rest = body.partition(b"\n")
    address = line[len(prefix) :].strip().decode("utf-8", "replace").lower()
    return address, rest


def with_own_address(raw: bytes, own_address: str) -> bytes:
    """What the poller stores: the trace header, then the mail exactly as the server has it."""
    return OWN_ADDRESS_HEADER + b": " + own_address.encode() + b"\r\n" + raw


def _messages(message: EmailMessage, raw: bytes, own_address: str) -> list[InboundMessage]:
    senders = _addresses(message, "From")
    if is_automatic(message, senders[0][1] if senders else ""):
        return []
    author = _author(senders)
    message_id = next(iter(msg_ids(_header(message, "Message-ID"))), "")
    references = msg_ids(_header(message, "References"))
    parent = next(iter(msg_ids(_header(message, "In-Reply-To"))), "")
    # Without a Message-ID the digest of the bytes stands in: the same mail fetched again after
    # a mailbox resync gets the same id, so it is not doubled.
    external_id = (
        stored_id(message_id) if message_id else "sha256:" + hashlib.sha256(raw).hexdigest()
    )
    root = references[0] if references else parent
    subject = _header(message, "Subject")
    text = _text(message, subject)
    return [
        InboundMessage(
            external_id=external_id,
            thread_id=stored_id(root) if root else external_id,
            kind=ConversationKind.EMAIL,
            visibility=Visibility.PRIVATE,
            author=author,
            text=text,
            created_at=_created_at(message),
            in_reply_to=stored_id(parent) if parent else None,
            attachments=tuple(_attachments(message)),
            thread_title=subject,
            is_echo=bool(own_address) and author.external_id == own_address,
            reply_context=_reply_context(message, author, message_id, references, subject),
        )
    ]


def is_automatic(message: Message, sender: str) -> bool:
    """Auto-replies, bulk mail and bounces (RFC 3834): never a citizen's question, and answering
    them would start a loop between Loket and an autoresponder."""
    auto_submitted = _header(message, "Auto-Submitted").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if _header(message, "Precedence").strip().lower() in AUTOMATIC_PRECEDENCE:
        return True
    if any(name in message for name in ("X-Autoreply", "X-Autorespond")):
        return True
    if sender.partition("@")[0] in AUTOMATIC_SENDERS:
        return True
    if _header(message, "Return-Path").strip() == "<>":  # a bounce has an empty sender
        return True
    return message.get_content_type() == "multipart/report"  # delivery status notifications


def _author(senders: list[tuple[str, str]]) -> Author:
    for name, address in senders:
        if "@" in address:
            return Author(external_id=address, name=name)
    raise PayloadError("the e-mail has no From address")


def _addresses(message: Message, header: str) -> list[tuple[str, str]]:
    """(display name, lower-cased address) pairs of an address header."""
    pairs: list[tuple[str, str]] | None = None
    try:
        parsed = getattr(message.get(header), "addresses", None)
        if parsed is not None:
            pairs = [(address.display_name, address.addr_spec) for address in parsed]
    except Exception:
        pairs = None  # a malformed header: read its raw value below
    if pairs is None:
        pairs = getaddresses([_raw_header(message, header)])
    found = []
    for name, address in pairs:
        address = clean(address).lower()
        if address and len(address) <= 254 and not any(c.isspace() for c in address):
            found.append((clean(name)[:200], address))
    return found


def _header(message: Message, name: str) -> str:
    """A header's decoded value; its raw value when decoding fails on a malformed header."""
    try:
        value = message.get(name)
        text = "" if value is None else str(value)
    except Exception:
        text = _raw_header(message, name)
    return clean(text)[:MAX_HEADER_TEXT] if name == "Subject" else clean(text)


def _raw_header(message: Message, name: str) -> str:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return clean(str(value))
    return ""


def _created_at(message: Message) -> datetime:
    received = _received_at(message)
    written = _date(_header(message, "Date"))
    if written is not None and received is not None and written - received > CLOCK_SKEW:
        return received
    return written or received or NO_DATE


def _received_at(message: Message) -> datetime | None:
    """When the receiving server took the mail in: the date of the topmost Received header."""
    for key, value in message.raw_items():
        if key.lower() == "received":
            return _date(str(value).rpartition(";")[2])
    return None


def _date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # "-0000": the zone is unknown; RFC 5322 says it is UTC
        moment = moment.replace(tzinfo=UTC)
    if moment.year < 1980:
        return None
    return moment


def _text(message: EmailMessage, subject: str) -> str:
    """The plain-text body (or the HTML one as text), quoted history trimmed; the subject when
    the body is empty (a question in the subject line alone is common)."""
    body = _body_part(message)
    text = ""
    if body is not None:
        content = _decoded(body)
        if body.get_content_type() == "text/html":
            content = html_to_text(content)
        # Apple Mail splits a text around pictures placed in it: the pieces after the first
        # are plain-text parts of their own.
        continued = [_decoded(part) for part in _text_continuations(message, body)]
        content = "\n\n".join([content, *continued])
        text = without_quoted_history(clean(content, multiline=True), subject=subject)
    return re.sub(r"\n{3,}", "\n\n", text) or subject


def _body_part(message: EmailMessage) -> EmailMessage | None:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return part if isinstance(part, EmailMessage) else None


def _decoded(part: EmailMessage) -> str:
    try:
        content = part.get_content()
        if isinstance(content, str):
            return content
    except (LookupError, ValueError, AssertionError, TypeError, AttributeError):
        pass
    # An unknown or wrong charset: the bytes as UTF-8, undecodable ones replaced.
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def _text_continuations(message: EmailMessage, body: EmailMessage) -> list[EmailMessage]:
    if body.get_content_type() != "text/plain":
        return []
    return [
        part
        for part, container in _leaves(message, container="", depth=0)
        if part is not body
        and container == "multipart/mixed"
        and part.get_content_type() == "text/plain"
        and _is_inline_text(part)
    ]


def _attachments(message: EmailMessage) -> list[Attachment]:
    body = _body_part(message)
    found: list[Attachment] = []
    for part, _container in _leaves(message, container="", depth=0):
        if part is body or len(found) >= MAX_ATTACHMENTS:
            continue
        content_type = part.get_content_type()
        if part.get_content_maintype() == "text" and _is_inline_text(part):
            continue  # another version of the body (HTML next to plain text), or more of it
        name = clean(_filename(part))[:255]
        if content_type == "message/rfc822":
            name = name or "message.eml"
        found.append(Attachment(kind=content_type, name=name, size=_size(part)))
    return found


def _is_inline_text(part: EmailMessage) -> bool:
    return part.get_content_disposition() != "attachment" and not _filename(part)


def _leaves(part: EmailMessage, *, container: str, depth: int) -> list[tuple[EmailMessage, str]]:
    """The parts that are not containers, each with its container's content type; an attached
    mail counts as one part."""
    if depth > MAX_DEPTH:
        return []
    if not part.is_multipart() or part.get_content_type() == "message/rfc822":
        return [(part, container)]
    payload: Any = part.get_payload()
    if not isinstance(payload, list):
        return []
    leaves: list[tuple[EmailMessage, str]] = []
    for child in payload:
        if isinstance(child, EmailMessage):
            leaves.extend(_leaves(child, container=part.get_content_type(), depth=depth + 1))
    return leaves


def _filename(part: Message) -> str:
    try:
        return part.get_filename() or ""
    except Exception:
        return ""


def _size(part: Message) -> int | None:
    if part.is_multipart():
        return None
    payload = part.get_payload(decode=True)
    return len(payload) if isinstance(payload, bytes) else None


def _reply_context(
    message: Message, author: Author, message_id: str, references: list[str], subject: str
) -> dict[str, Any]:
    """What send() needs to answer in the same thread: the ids to refer to, the subject and the
    address to write to (Reply-To when the citizen set one, else From)."""
    reply_to = next(iter(_addresses(message, "Reply-To")), None)
    name, address = reply_to if reply_to else (author.name, author.external_id)
    return {
        "message_id": message_id,
        "references": references_for_reply(references, ""),
        "subject": subject,
        "reply_to": address,
        "reply_to_name": name,
    }
