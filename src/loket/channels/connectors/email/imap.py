"""Fetching new mail over IMAP: what arrived in the mailbox after the cursor.

The cursor is "<UIDVALIDITY>:<highest UID stored>". UIDs only grow within one UIDVALIDITY; when
the server hands out a new UIDVALIDITY (a mailbox rebuilt or restored), every UID may mean
another message, so Loket reads the mailbox again from the start. The ledger's key
("<mailbox>:<UIDVALIDITY>:<UID>") is then new for every message, and the intake recognises the
messages it has by their Message-ID.

The mailbox is opened read-only and bodies are fetched with BODY.PEEK: Loket changes no flags,
moves nothing and deletes nothing.
"""

from __future__ import annotations

import imaplib
import logging
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from loket.channels.connectors.email.config import EmailConfig
from loket.channels.connectors.email.parse import with_own_address
from loket.channels.connectors.email.send import tls_context
from loket.channels.contracts import PolledDelivery, PollResult

logger = logging.getLogger(__name__)

FETCH_UID = re.compile(rb"\bUID (\d+)")
FETCH_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


class MailboxUnusable(Exception):
    """Login refused or the mailbox cannot be opened: the operator has to act."""


def parse_cursor(cursor: str) -> tuple[int | None, int]:
    """(UIDVALIDITY, last UID) of a stored cursor; (None, 0) for none or a damaged one."""
    validity, _colon, last = cursor.partition(":")
    if validity.isdigit() and last.isdigit():
        return int(validity), int(last)
    return None, 0


def poll(*, config: EmailConfig, cursor: str) -> PollResult:
    """New messages after the cursor, at most `batch_size`; never raises for server trouble."""
    try:
        with _mailbox(config) as imap:
            return _fetch_new(imap, config, cursor)
    except MailboxUnusable as problem:
        return PollResult((), cursor, auth_error=str(problem)[:300])
    except ssl.SSLCertVerificationError as error:
        # Does not mend by waiting: the operator must trust the server's certificate.
        return PollResult(
            (),
            cursor,
            auth_error=f"the certificate of {config.host} is not trusted: {error.verify_message}",
        )
    except (imaplib.IMAP4.error, OSError) as error:
        # A server down, a dropped connection or a refused command: nothing is stored and the
        # cursor stays, so the next poll tries the same messages again.
        passing = f"IMAP server {config.host}: {type(error).__name__}: {_text(error)}"
        return PollResult((), cursor, transient_error=passing[:300])


@contextmanager
def _mailbox(config: EmailConfig) -> Iterator[imaplib.IMAP4]:
    imap = _connect(config)
    try:
        try:
            imap.login(config.username, config.password.get_secret_value())
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as error:
            raise MailboxUnusable(
                f"IMAP login as {config.username} refused: {_text(error)}"
            ) from None
        status, answer = imap.select(_quoted(config.mailbox), readonly=True)
        if status != "OK":
            raise MailboxUnusable(
                f"mailbox {config.mailbox} cannot be opened: {_text(answer)}"
            ) from None
        yield imap
    finally:
        with suppress(imaplib.IMAP4.error, OSError):
            imap.logout()


def _connect(config: EmailConfig) -> imaplib.IMAP4:
    if config.security == "ssl":
        return imaplib.IMAP4_SSL(
            config.host,
            config.port,
            ssl_context=tls_context(config),
            timeout=config.timeout_seconds,
        )
    imap = imaplib.IMAP4(config.host, config.port, timeout=config.timeout_seconds)
    if config.security == "starttls":
        try:
            if "STARTTLS" not in imap.capabilities:
                # A setting to correct, not a passing failure (imaplib calls it an abort).
                raise MailboxUnusable(f"the IMAP server {config.host} does not offer STARTTLS")
            imap.starttls(ssl_context=tls_context(config))
        except Exception:
            with suppress(OSError):
                imap.shutdown()
            raise
    return imap


def _fetch_new(imap: imaplib.IMAP4, config: EmailConfig, cursor: str) -> PollResult:
    validity = _uid_validity(imap)
    known_validity, last_uid = parse_cursor(cursor)
    if known_validity != validity:
        if known_validity is not None:
            logger.warning(
                "UIDVALIDITY of %s changed from %s to %s: reading it again from the start",
                config.mailbox,
                known_validity,
                validity,
            )
        last_uid = 0
    # "UID SEARCH UID n:*" always answers the highest UID, even when it is below n (RFC 3501
    # §6.4.8: "*" is the largest UID in use): only UIDs above the cursor count.
    status, answer = imap.uid("SEARCH", "UID", f"{last_uid + 1}:*")
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH: {_text(answer)}")
    listed = answer[0] if answer and isinstance(answer[0], bytes) else b""
    found = sorted({int(uid) for uid in listed.split() if uid.isdigit()})
    batch = [uid for uid in found if uid > last_uid][: config.batch_size]
    if not batch:
        return PollResult((), f"{validity}:{last_uid}")
    sizes = _sizes(imap, batch)
    bodies: dict[int, bytes] = {}
    whole = [uid for uid in batch if sizes.get(uid, 0) <= config.max_message_bytes]
    if whole:
        bodies.update(_bodies(imap, whole, "BODY.PEEK[]"))
    for uid in batch:
        if uid not in whole and uid in sizes:
            bodies.update(_bodies(imap, [uid], f"BODY.PEEK[]<0.{config.max_message_bytes}>"))
    for uid in set(sizes) - set(bodies):
        logger.warning("IMAP message %s:%s:%s could not be read", config.mailbox, validity, uid)
    deliveries = tuple(
        PolledDelivery(
            key=f"{config.mailbox}:{validity}:{uid}",
            body=with_own_address(bodies[uid], config.from_address),
        )
        for uid in batch
        if uid in bodies
    )
    # A UID that is gone by the time of FETCH (expunged in between) is passed over.
    return PollResult(deliveries, f"{validity}:{batch[-1]}")


def _uid_validity(imap: imaplib.IMAP4) -> int:
    _name, values = imap.response("UIDVALIDITY")
    for value in values or []:
        if isinstance(value, bytes) and value.strip().isdigit():
            return int(value)
    raise imaplib.IMAP4.error("the server did not say the mailbox's UIDVALIDITY")


def _sizes(imap: imaplib.IMAP4, uids: list[int]) -> dict[int, int]:
    status, answer = imap.uid("FETCH", _uid_set(uids), "(UID RFC822.SIZE)")
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID FETCH RFC822.SIZE: {_text(answer)}")
    sizes: dict[int, int] = {}
    for item in answer:
        line = item[0] if isinstance(item, tuple) else item
        if not isinstance(line, bytes):
            continue
        uid, size = FETCH_UID.search(line), FETCH_SIZE.search(line)
        if uid and size:
            sizes[int(uid.group(1))] = int(size.group(1))
    return sizes


def _bodies(imap: imaplib.IMAP4, uids: list[int], item: str) -> dict[int, bytes]:
    status, answer = imap.uid("FETCH", _uid_set(uids), f"(UID {item})")
    if status != "OK":
        raise imaplib.IMAP4.error(f"UID FETCH: {_text(answer)}")
    return bodies_of_fetch(answer)


def bodies_of_fetch(answer: list[Any]) -> dict[int, bytes]:
    """UID → message bytes from imaplib's FETCH answer.

    Each message comes as a (b'<n> (UID <uid> BODY[] {<len>}', <bytes>) pair followed by b')';
    some servers put the UID after the literal instead (b' UID <uid>)'), so both are read.
    """
    bodies: dict[int, bytes] = {}
    waiting: bytes | None = None
    for item in answer:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            match = FETCH_UID.search(item[0]) if isinstance(item[0], bytes) else None
            if match:
                bodies[int(match.group(1))] = item[1]
                waiting = None
            else:
                waiting = item[1]
        elif isinstance(item, bytes) and waiting is not None:
            match = FETCH_UID.search(item)
            if match:
                bodies[int(match.group(1))] = waiting
                waiting = None
    return bodies


def _uid_set(uids: list[int]) -> str:
    return ",".join(str(uid) for uid in uids)


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(answer: Any) -> str:
    """Readable text of a server answer or an imaplib error (whose argument is often bytes)."""
    if isinstance(answer, Exception):
        answer = answer.args[0] if answer.args else type(answer).__name__
    if isinstance(answer, list | tuple):
        answer = b" ".join(part for part in answer if isinstance(part, bytes))
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", "replace")
    return " ".join(str(answer).split())[:200]
