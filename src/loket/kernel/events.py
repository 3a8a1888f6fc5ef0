"""In-process events between modules.

A lower module announces that something happened ("an inbound event was stored") without
knowing who cares; a higher module subscribes explicitly in its AppConfig.ready(). Handlers
get JSON-able keyword arguments and should only enqueue work.

Most handlers run after the surrounding transaction commits, so they never see data that is
rolled back, and their failure cannot undo it. A handler that writes to the same database
(enqueueing on the database task queue) may instead run inside the transaction, so that the
announcement and its consequence are committed together or not at all.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)
_in_transaction: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event: str, handler: Handler, *, in_transaction: bool = False) -> None:
    chosen = _in_transaction if in_transaction else _handlers
    other = _handlers if in_transaction else _in_transaction
    if handler in other[event]:
        other[event].remove(handler)
    if handler not in chosen[event]:
        chosen[event].append(handler)


def publish(event: str, **payload: Any) -> None:
    """Run in-transaction handlers now (their errors propagate), the others after commit."""
    for handler in list(_in_transaction[event]):
        handler(**payload)

    def deliver() -> None:
        for handler in list(_handlers[event]):
            try:
                handler(**payload)
            except Exception:
                logger.exception("handler %s of event %s failed", handler, event)

    transaction.on_commit(deliver, robust=False)
