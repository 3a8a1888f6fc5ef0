"""Message-IDs: reading them from headers, and the ones Loket gives its own replies."""

from __future__ import annotations

import hashlib
import re

# RFC 5322 msg-id, leniently: anything between angle brackets without spaces or brackets.
MSG_ID = re.compile(r"<[^<>\s]{1,900}>")
# What Loket keeps as an external id or thread id (the database columns hold 200 characters).
MAX_ID_LENGTH = 200
# RFC 5322 §3.6.4 lets a long References list lose ids in the middle; the first (the root)
# and the most recent ones are what threading needs.
MAX_REFERENCES = 20


def msg_ids(value: str) -> list[str]:
    """The msg-ids in a Message-ID, In-Reply-To or References header value, in order."""
    found = MSG_ID.findall(value)
    if not found:
        # Some mailers leave out the brackets; one bare token is still an id.
        bare = value.strip()
        if bare and len(bare) <= 900 and not any(c.isspace() or c in "<>" for c in bare):
            found = [f"<{bare}>"]
    return list(dict.fromkeys(found))


def stored_id(msg_id: str) -> str:
    """The id as Loket stores it: the msg-id itself, or a digest of an over-long one."""
    if len(msg_id) <= MAX_ID_LENGTH:
        return msg_id
    return "sha256:" + hashlib.sha256(msg_id.encode("utf-8", "replace")).hexdigest()


def own_message_id(idempotency_key: str, domain: str) -> str:
    """The Message-ID of one of Loket's replies: the same for every attempt at sending it, so a
    receiving server that saw the first attempt can drop a repeat, and a citizen's answer or a
    copy of our reply in the mailbox is recognised by it."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
    return f"<loket.{digest}@{domain}>"


def references_for_reply(references: list[str], parent: str) -> list[str]:
    """The References of a reply: the parent's References followed by the parent's id."""
    chain = list(dict.fromkeys([*references, parent] if parent else references))
    if len(chain) > MAX_REFERENCES:
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return chain
