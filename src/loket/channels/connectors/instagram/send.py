"""OutboundMessage → the Graph API call that answers it on Instagram.

- a comment, public: `POST /{comment-id}/replies`. Instagram nests one level only, so an
  answer to a reply goes under the top-level comment (its parent);
- a comment, private: `POST /{ig-user-id}/messages` (with Facebook Login
  `/{page-id}/messages`) with `recipient.comment_id`, once, within 7 days of the comment
  (for a live video only while the broadcast lasts);
- a mention, public: `POST /{ig-user-id}/mentions` with `media_id` (and `comment_id` when we
  were mentioned in a comment); a mention cannot be answered privately;
- a direct message (private only): `POST /{…}/messages` with `recipient.id` = the citizen's
  Instagram-scoped id, within 24 hours of the citizen's message.

The Graph API has no idempotency key: the framework's OutboundDelivery row keeps a reply from
being sent twice, except when Meta took a request but its answer was lost (a timeout after
sending), which is retried and may then appear twice.
"""

from __future__ import annotations

from typing import Any

from loket.channels.connectors.instagram.config import InstagramConfig
from loket.channels.connectors.instagram.parse import COMMENT, DIRECT_MESSAGE, MENTION
from loket.channels.connectors.meta_common.graph import GraphClient, failed, is_graph_id, sent
from loket.channels.connectors.meta_common.windows import (
    MESSAGING_WINDOW,
    PRIVATE_REPLY_TO_COMMENT_WINDOW,
    has_passed,
)
from loket.channels.contracts import DeliveryReceipt, OutboundMessage, Visibility


def send(*, message: OutboundMessage, app_secret: str, config: InstagramConfig) -> DeliveryReceipt:
    graph = config.graph(access_token=config.access_token, app_secret=app_secret)
    kind = message.reply_context.get("kind") or (
        DIRECT_MESSAGE if ":" in message.thread_id else COMMENT
    )
    public = message.visibility is Visibility.PUBLIC
    if kind == COMMENT:
        if public:
            return _public_reply(graph, message)
        return _private_reply(graph, message, config)
    if kind == MENTION:
        if not public:
            return failed("an Instagram mention can only be answered publicly")
        return _mention_reply(graph, message, config)
    if kind == DIRECT_MESSAGE:
        if public:
            return failed("an Instagram direct message is private: answer it privately")
        return _direct_message(graph, message, config)
    return failed(f"cannot tell what to answer on Instagram (reply context kind {kind!r})")


def _public_reply(graph: GraphClient, message: OutboundMessage) -> DeliveryReceipt:
    context = message.reply_context
    target = context.get("parent_id") or context.get("comment_id") or message.in_reply_to
    if not is_graph_id(target):
        return failed(f"no valid comment id to reply to ({target!r})")
    outcome = graph.post(f"{target}/replies", json_body={"message": message.text}, params={})
    return outcome.failure or sent(outcome.data.get("id"))


def _private_reply(
    graph: GraphClient, message: OutboundMessage, config: InstagramConfig
) -> DeliveryReceipt:
    context = message.reply_context
    if has_passed(context, PRIVATE_REPLY_TO_COMMENT_WINDOW):
        return failed(
            "a private reply to an Instagram comment is only possible within 7 days of the comment"
        )
    comment_id = context.get("comment_id") or message.in_reply_to
    if not is_graph_id(comment_id):
        return failed(f"no valid comment id to reply to privately ({comment_id!r})")
    return _message(graph, config, recipient={"comment_id": comment_id}, text=message.text)


def _mention_reply(
    graph: GraphClient, message: OutboundMessage, config: InstagramConfig
) -> DeliveryReceipt:
    context = message.reply_context
    media_id, comment_id = context.get("media_id"), context.get("comment_id")
    if not is_graph_id(media_id) or (comment_id is not None and not is_graph_id(comment_id)):
        return failed("no valid media or comment id to answer the mention under")
    body: dict[str, Any] = {"media_id": media_id, "message": message.text}
    if comment_id:
        body["comment_id"] = comment_id
    outcome = graph.post(f"{config.ig_user_id}/mentions", json_body=body, params={})
    return outcome.failure or sent(outcome.data.get("id"))


def _direct_message(
    graph: GraphClient, message: OutboundMessage, config: InstagramConfig
) -> DeliveryReceipt:
    if has_passed(message.reply_context, MESSAGING_WINDOW):
        return failed(
            "the 24-hour Instagram messaging window has passed since the citizen's message: "
            "a free-form reply is no longer allowed"
        )
    citizen = message.reply_context.get("citizen_id") or message.thread_id.partition(":")[2]
    if not citizen and message.recipient is not None:
        citizen = message.recipient.external_id
    if not is_graph_id(citizen):
        return failed(f"no valid Instagram recipient ({citizen!r})")
    return _message(graph, config, recipient={"id": citizen}, text=message.text)


def _message(
    graph: GraphClient, config: InstagramConfig, *, recipient: dict[str, Any], text: str
) -> DeliveryReceipt:
    outcome = graph.post(
        f"{config.messaging_node}/messages",
        json_body={"recipient": recipient, "message": {"text": text}},
        params={},
    )
    return outcome.failure or sent(outcome.data.get("message_id"))
