from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "loket.inbox"
    label = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        from django.tasks import task_backends
        from django_tasks_db import DatabaseBackend

        from loket.channels.services import INBOUND_EVENT_STORED
        from loket.inbox.tasks import enqueue_processing
        from loket.kernel import events

        # On the database queue the task row is written in the ledger's own transaction: an
        # event is never stored without the task that processes it. A queue elsewhere
        # (Celery, RQ) gets the task only after the commit, so it never runs too early.
        same_database = isinstance(task_backends["default"], DatabaseBackend)
        events.subscribe(INBOUND_EVENT_STORED, enqueue_processing, in_transaction=same_database)
