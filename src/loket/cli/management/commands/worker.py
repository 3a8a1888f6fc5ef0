"""`loket worker`: runs background tasks from the database queue.

With a distributed backend (Celery or RQ), that engine's own workers take this role.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.tasks import task_backends
from django_tasks_db import DatabaseBackend

from loket.channels import services as channel_services


class Command(BaseCommand):
    help = "Run the background task worker for the database queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "The configured task backend is not the database queue; run its own workers."
            )
        recovered = channel_services.republish_stale_events()
        if recovered:
            self.stdout.write(f"Re-queued {recovered} inbound events whose processing was lost.")
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
