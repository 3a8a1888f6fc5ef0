"""`/healthz`: is the database answering, and is the task queue moving?

Answers 200 with a JSON body when both are fine and 503 when one is not, so a load balancer
or a monitor can act on the status alone. Shows no tenant data and needs no login.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.tasks import task_backends
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

# A task waiting longer than this means no worker is taking work.
QUEUE_STALL_SECONDS = 300


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database()
    queue = _queue() if database["ok"] else {"ok": False, "error": "database unavailable"}
    healthy = database["ok"] and queue["ok"]
    body = {"status": "ok" if healthy else "unavailable", "database": database, "queue": queue}
    return JsonResponse(body, status=200 if healthy else 503)


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "vendor": connection.vendor, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _queue() -> dict[str, Any]:
    backend = task_backends["default"]
    try:
        waiting = DBTaskResult.objects.ready()
        count = waiting.count()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except DatabaseError as error:
        return {"ok": False, "backend": backend.alias, "error": type(error).__name__}
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {
        "ok": age < QUEUE_STALL_SECONDS,
        "backend": type(backend).__module__ + "." + type(backend).__name__,
        "waiting": count,
        "oldest_waiting_seconds": round(age, 1),
    }
