"""In-process events, delivered after the surrounding transaction commits.

A lower module announces that something happened ("an inbound event was stored") without
knowing who cares; a higher module subscribes explicitly in its AppConfig.ready(). Handlers
get JSON-able keyword arguments and should only enqueue work, so that a slow or failing
handler never breaks the transaction that announced the event.
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


def subscribe(event: str, handler: Handler) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def publish(event: str, **payload: Any) -> None:
    """Call every handler of `event` once the current transaction has committed."""

    def deliver() -> None:
        for handler in list(_handlers[event]):
            try:
                handler(**payload)
            except Exception:
                logger.exception("handler %s of event %s failed", handler, event)

    transaction.on_commit(deliver, robust=False)
