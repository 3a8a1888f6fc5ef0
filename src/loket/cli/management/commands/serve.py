"""`loket serve`: the web application in gunicorn, on LOKET_HOST:LOKET_PORT."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from loket.wsgi import application


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return application


class Command(BaseCommand):
    help = "Serve Loket on LOKET_HOST:LOKET_PORT (default 127.0.0.1:8000) with gunicorn."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, default=settings.LOKET_WEB_WORKERS)

    def handle(self, *args: Any, **options: Any) -> None:
        bind = f"{settings.LOKET_HOST}:{settings.LOKET_PORT}"
        _Gunicorn(
            {
                "bind": bind,
                "workers": options["workers"],
                "threads": 4,
                "worker_class": "gthread",
                "accesslog": "-",
                "errorlog": "-",
                "graceful_timeout": 10,
                "timeout": 60,
                "proc_name": "loket-web",
                # Several instances (demo, tests) may run side by side; none needs it.
                "control_socket_disable": True,
            }
        ).run()
