"""OutboundMessage → `POST /{phone-number-id}/messages` of the WhatsApp Cloud API.

A free-form text is allowed only within 24 hours of the citizen's last message (the customer
service window). The parser keeps the platform's time of each message in reply_context; a
reply to a message older than that is refused here, before calling Meta, with an error that
says a template message is needed (Loket does not send templates yet). Meta's own refusal
for the same reason (error 131047) gets the same explanation.

The Cloud API has no idempotency key: the framework's OutboundDelivery row keeps a reply from
being sent twice, except when Meta took a request but its answer was lost (a timeout after
sending), which is retried and may then arrive twice.
"""

from __future__ import annotations

from typing import Any

from loket.channels.connectors.meta_common.graph import failed, sent
from loket.channels.connectors.meta_common.windows import MESSAGING_WINDOW, has_passed
from loket.channels.connectors.whatsapp.config import WhatsAppConfig
from loket.channels.contracts import DeliveryReceipt, OutboundMessage, Visibility

# Meta's "re-engagement message": more than 24 hours since the citizen last wrote.
OUTSIDE_WINDOW_CODE = 131047
TEMPLATE_NEEDED = (
    "the 24-hour WhatsApp customer service window has passed since the citizen's last "
    "message: only an approved template message can be sent now, not a free-form reply"
)


def send(*, message: OutboundMessage, app_secret: str, config: WhatsAppConfig) -> DeliveryReceipt:
    if message.visibility is Visibility.PUBLIC:
        return failed("WhatsApp has no public replies: answer privately")
    if has_passed(message.reply_context, MESSAGING_WINDOW):
        return failed(TEMPLATE_NEEDED)
    recipient = _recipient(message)
    if not recipient:
        return failed("no WhatsApp number to reply to")
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient,
        "type": "text",
        "text": {"body": message.text, "preview_url": False},
    }
    quoted = message.reply_context.get("message_id") or message.in_reply_to
    if config.quote_replies and isinstance(quoted, str) and quoted:
        body["context"] = {"message_id": quoted}
    graph = config.graph(access_token=config.access_token, app_secret=app_secret)
    outcome = graph.post(f"{config.phone_number_id}/messages", json_body=body, params={})
    if outcome.error is not None and outcome.error.code == OUTSIDE_WINDOW_CODE:
        return failed(f"{TEMPLATE_NEEDED} ({outcome.error.describe()})")
    if outcome.failure is not None:
        return outcome.failure
    return sent(_message_id(outcome.data))


def _recipient(message: OutboundMessage) -> str:
    """The citizen's WhatsApp id (their number in international form, digits only)."""
    candidates = (
        message.reply_context.get("wa_id"),
        message.thread_id.partition(":")[2],
        message.recipient.external_id if message.recipient else None,
    )
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.isascii() and candidate.isdigit():
            return candidate
    return ""


def _message_id(data: Any) -> str:
    """`{"messaging_product": "whatsapp", "contacts": […], "messages": [{"id": "wamid…"}]}`."""
    messages = data.get("messages") if isinstance(data, dict) else None
    if isinstance(messages, list) and messages and isinstance(messages[0], dict):
        value = messages[0].get("id")
        return value if isinstance(value, str) else ""
    return ""
