"""Hide, unhide or delete a comment through the Graph API (Facebook and Instagram)."""

from __future__ import annotations

from loket.channels.connectors.meta_common.graph import GraphClient, failed, is_graph_id
from loket.channels.contracts import DeliveryReceipt, DeliveryStatus, ModerationAction


def moderate_comment(
    graph: GraphClient, *, action: ModerationAction, comment_id: str, hide_parameter: str
) -> DeliveryReceipt:
    """`POST /{comment-id}?<hide_parameter>=true|false` or `DELETE /{comment-id}`."""
    if not is_graph_id(comment_id):
        return failed(f"not a comment id this platform knows: {comment_id!r}")
    if action is ModerationAction.DELETE:
        outcome = graph.delete(comment_id)
    else:
        hidden = "true" if action is ModerationAction.HIDE else "false"
        outcome = graph.post(comment_id, params={hide_parameter: hidden})
    if outcome.failure is not None:
        return outcome.failure
    if outcome.data.get("success") is False:
        return failed(f"the platform did not {action.value} the comment")
    return DeliveryReceipt(status=DeliveryStatus.SENT, external_id=comment_id)
