"""OutboundMessage → the Graph API call that answers it on Facebook.

Which call depends on what is answered (reply_context["kind"], recorded by the parser) and
on the visibility the agent chose:

- a comment, public: `POST /{comment-id}/comments`;
- a comment, private: `POST /{page-id}/messages` with `recipient.comment_id` (once, 7 days);
- a visitor's post: the same with `/{post-id}/comments` and `recipient.post_id`;
- a Messenger message (private only): `POST /{page-id}/messages` with `recipient.id` = PSID
  and `messaging_type: RESPONSE`, within 24 hours of the citizen's message.

The Graph API has no idempotency key: the framework's OutboundDelivery row keeps a reply from
being sent twice, except when Meta took a request but its answer was lost (a timeout after
sending), which is retried and may then appear twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loket.channels.connectors.facebook.config import FacebookConfig
from loket.channels.connectors.facebook.parse import COMMENT, MESSENGER, POST
from loket.channels.connectors.meta_common.graph import GraphClient, failed, is_graph_id, sent
from loket.channels.connectors.meta_common.windows import (
    MESSAGING_WINDOW,
    PRIVATE_REPLY_TO_COMMENT_WINDOW,
    has_passed,
)
from loket.channels.contracts import DeliveryReceipt, OutboundMessage, Visibility


def send(*, message: OutboundMessage, app_secret: str, config: FacebookConfig) -> DeliveryReceipt:
    graph = config.graph(access_token=config.page_access_token, app_secret=app_secret)
    context = message.reply_context
    kind = context.get("kind") or _kind_from_thread(message.thread_id)
    if kind == MESSENGER:
        return _messenger_reply(graph, message, config)
    if kind in (COMMENT, POST):
        if message.visibility is Visibility.PUBLIC:
            return _public_comment(graph, message, kind)
        return _private_reply(graph, message, config, kind)
    return failed(f"cannot tell what to answer on Facebook (reply context kind {kind!r})")


def _kind_from_thread(thread_id: str) -> str:
    """For a message without reply context: Messenger threads are `<page>:<psid>`, comment
    threads are the post id."""
    return MESSENGER if ":" in thread_id else COMMENT


def _public_comment(graph: GraphClient, message: OutboundMessage, kind: str) -> DeliveryReceipt:
    context = message.reply_context
    if kind == POST:
        target = context.get("post_id") or message.thread_id
    else:
        target = context.get("comment_id") or message.in_reply_to
    if not is_graph_id(target):
        return failed(f"no valid comment or post id to reply to ({target!r})")
    outcome = graph.post(f"{target}/comments", json_body={"message": message.text}, params={})
    return outcome.failure or sent(outcome.data.get("id"))


def _private_reply(
    graph: GraphClient, message: OutboundMessage, config: FacebookConfig, kind: str
) -> DeliveryReceipt:
    context = message.reply_context
    if has_passed(context, PRIVATE_REPLY_TO_COMMENT_WINDOW):
        return failed(
            "a private reply to a Facebook comment is only possible within 7 days of the comment"
        )
    if kind == POST:
        target, recipient_field = context.get("post_id") or message.thread_id, "post_id"
    else:
        target, recipient_field = context.get("comment_id") or message.in_reply_to, "comment_id"
    if not is_graph_id(target):
        return failed(f"no valid comment or post id to reply to privately ({target!r})")
    return _page_message(graph, config, recipient={recipient_field: target}, text=message.text)


def _messenger_reply(
    graph: GraphClient, message: OutboundMessage, config: FacebookConfig
) -> DeliveryReceipt:
    if message.visibility is Visibility.PUBLIC:
        return failed("a Messenger conversation is private: answer it privately")
    if has_passed(message.reply_context, MESSAGING_WINDOW):
        return failed(
            "the 24-hour Messenger window has passed since the citizen's message: "
            "a free-form reply is no longer allowed"
        )
    psid = message.reply_context.get("citizen_id") or _psid_from_thread(message.thread_id)
    if not psid and message.recipient is not None:
        psid = message.recipient.external_id
    if not is_graph_id(psid):
        return failed(f"no valid Messenger recipient (PSID {psid!r})")
    return _page_message(
        graph, config, recipient={"id": psid}, text=message.text, messaging_type="RESPONSE"
    )


def _page_message(
    graph: GraphClient,
    config: FacebookConfig,
    *,
    recipient: Mapping[str, Any],
    text: str,
    messaging_type: str | None = None,
) -> DeliveryReceipt:
    body: dict[str, Any] = {"recipient": dict(recipient), "message": {"text": text}}
    if messaging_type:
        body["messaging_type"] = messaging_type
    outcome = graph.post(f"{config.page_id}/messages", json_body=body, params={})
    return outcome.failure or sent(outcome.data.get("message_id"))


def _psid_from_thread(thread_id: str) -> str:
    return thread_id.partition(":")[2]
