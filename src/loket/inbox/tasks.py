"""Background entry points of the inbox. They take ids and call the pipeline or services.

Inbound events are not queued one task each: the ledger of channels is the queue (ADR 3).
A stored event wakes a drain task, unless one is already waiting to start, and the drain
processes pending events oldest first until none is left.
"""

from __future__ import annotations

import threading
import time

from django.tasks import task, task_backends
from django_tasks_db import DatabaseBackend

from loket.inbox import intake

# A drain hands over to a fresh task after this long, so that deliveries and other tasks
# queued behind it get their turn during a long backlog.
DRAIN_SECONDS = 10.0
# How long a web process trusts a waiting drain it has seen (or queued) without looking again.
# Safe because a drain that finds nothing looks once more SETTLE_SECONDS later: it sees every
# event committed within WAKE_MEMO_SECONDS of the moment it was seen waiting.
WAKE_MEMO_SECONDS = 0.05
SETTLE_SECONDS = 2 * WAKE_MEMO_SECONDS


@task
def drain_inbound_events() -> int:
    processed, finished = intake.process_pending(
        seconds=DRAIN_SECONDS, settle_seconds=SETTLE_SECONDS
    )
    if not finished:
        _enqueue_drain_unless_waiting()  # not through the memo: this drain is not waiting
    return processed


class _WakeMemo:
    def __init__(self) -> None:
        self.seen_at = float("-inf")
        self.lock = threading.Lock()

    def reset(self) -> None:
        with self.lock:
            self.seen_at = float("-inf")


_memo = _WakeMemo()


def wake_intake(**_announcement: object) -> None:
    """Subscribed to channels' "inbound event stored", after its commit.

    A drain task that has not started yet will see the new event when it starts, so a second
    one is not needed; this keeps the queue to about one task per worker however fast events
    come in. A killed worker or a crash right after the commit is caught by the worker's
    recovery sweep (`channels.services.announce_stale_events`).
    """
    now = time.monotonic()
    with _memo.lock:
        if now - _memo.seen_at < WAKE_MEMO_SECONDS:
            return
    _enqueue_drain_unless_waiting()
    with _memo.lock:
        _memo.seen_at = max(_memo.seen_at, now)


def _enqueue_drain_unless_waiting() -> None:
    if not _drain_waiting():
        drain_inbound_events.enqueue()


def _drain_waiting() -> bool:
    if not isinstance(task_backends[drain_inbound_events.backend], DatabaseBackend):
        return False  # another queue (Celery, RQ): enqueueing is cheap there, drains coalesce
    from django_tasks_db.models import DBTaskResult, TaskResultStatus

    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=drain_inbound_events.module_path
    ).exists()
