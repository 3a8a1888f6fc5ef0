"""Background entry points of the inbox. They take ids and call the pipeline or services."""

from __future__ import annotations

from django.tasks import task

from loket.inbox import intake


@task
def process_inbound_event(event_id: int) -> int:
    return intake.process_event(event_id)


def enqueue_processing(*, event_id: int) -> None:
    """Subscribed to channels' "inbound event stored": the worker takes it from here."""
    process_inbound_event.enqueue(event_id)
