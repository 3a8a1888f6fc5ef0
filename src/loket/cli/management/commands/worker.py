"""`loket worker`: runs background tasks from the database queue.

With a distributed backend (Celery or RQ), that engine's own workers take this role.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.tasks import task_backends
from django_tasks_db import DatabaseBackend

from loket.channels import services as channel_services

logger = logging.getLogger(__name__)
POLL_SCHEDULER_SECONDS = 5.0


class Command(BaseCommand):
    help = "Run the background task worker for the database queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument(
            "--recover-after",
            type=float,
            default=120.0,
            help="Wake the intake again for inbound events still pending after this many seconds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "The configured task backend is not the database queue; run its own workers."
            )
        stale_after = timedelta(seconds=max(options["recover_after"], 0))
        self._recover(stale_after)
        if not options["batch"]:
            # A worker killed mid-task leaves its task claimed forever, and a web process can
            # die between storing an event and waking the intake; this sweep finds events
            # still pending and wakes the intake again, while this worker runs.
            threading.Thread(target=self._keep_recovering, args=(stale_after,), daemon=True).start()
            # Polling platforms (Bluesky, Mastodon, e-mail) are asked at their own interval.
            threading.Thread(target=self._keep_scheduling_polls, daemon=True).start()
        else:
            channel_services.schedule_due_polls()
        worker_options: dict[str, Any] = {
            "queue_name": "*",
            "interval": options["interval"],
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if options["batch"]:
            worker_options["batch"] = True
            worker_options["startup_delay"] = False
        call_command("db_worker", **worker_options)

    def _recover(self, stale_after: timedelta) -> None:
        stale = channel_services.announce_stale_events(older_than=stale_after)
        if stale:
            self.stdout.write(f"Woke the intake for {stale} inbound events still pending.")

    def _keep_scheduling_polls(self) -> None:
        while True:
            try:
                channel_services.schedule_due_polls()
            except DatabaseError:
                logger.warning("poll scheduling failed; trying again later", exc_info=True)
            finally:
                connection.close()
            time.sleep(POLL_SCHEDULER_SECONDS)

    def _keep_recovering(self, stale_after: timedelta) -> None:
        pause = max(stale_after.total_seconds() / 2, 5.0)
        while True:
            time.sleep(pause)
            try:
                self._recover(stale_after)
            except DatabaseError:
                logger.warning("recovery sweep failed; trying again later", exc_info=True)
            finally:
                connection.close()
