"""`loket demo`: migrate, seed the demo cast, then serve and run the worker until Ctrl-C.

`loket demo seed` only seeds. Both need demo mode (LOKET_DEMO=1), which `make demo` sets.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from loket.cli import demo_cast


class Command(BaseCommand):
    help = "Run Loket with the demo cast: seed, serve and work. `loket demo seed` only seeds."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", choices=["run", "seed"], default="run")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("The demo needs demo mode: set LOKET_DEMO=1 (make demo does).")
        call_command("migrate", interactive=False, verbosity=0)
        demo_cast.seed()
        self.stdout.write(self.style.SUCCESS("Demo cast seeded."))
        if options["action"] == "seed":
            return
        self._banner()
        worker = subprocess.Popen([sys.executable, "-m", "loket.cli.main", "worker"])
        try:
            call_command("serve")
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def _banner(self) -> None:
        url = f"http://{settings.LOKET_HOST}:{settings.LOKET_PORT}/"
        lines = [
            "",
            f"Loket runs at {url}  (Ctrl-C stops the web server and the worker)",
            f"Demo logins, password '{demo_cast.DEMO_PASSWORD}':",
            *(f"  {username:<6} {what}" for username, what in demo_cast.demo_logins()),
            "",
        ]
        self.stdout.write("\n".join(lines))
