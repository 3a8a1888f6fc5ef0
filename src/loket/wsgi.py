"""The WSGI application that `loket serve` (gunicorn) runs.

Platform webhooks (`POST /hooks/<platform>/<account>`) take a short path past Django's
middleware: they need no session, user, CSRF, language or messages, and at hundreds of
deliveries a second that stack is most of their cost. Everything else, and the webhooks in
tests through Django's test client, goes through the full handler.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

django_application = get_wsgi_application()

from django.core import signals  # noqa: E402 - after Django is set up
from django.core.exceptions import DisallowedHost  # noqa: E402
from django.core.handlers.wsgi import WSGIRequest  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402

from loket.channels.webhooks import receive  # noqa: E402

HOOK = re.compile(r"^/hooks/(?P<connector>[-a-zA-Z0-9_]+)/(?P<account_id>[^/]+)$")
StartResponse = Callable[..., Any]


def _respond(response: HttpResponse, start_response: StartResponse) -> Iterable[bytes]:
    status = f"{response.status_code} {response.reason_phrase}"
    headers = [*response.items(), ("X-Content-Type-Options", "nosniff")]
    start_response(status, headers)
    return [response.content]


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    match = HOOK.match(environ.get("PATH_INFO", ""))
    if match is None or environ.get("REQUEST_METHOD") != "POST":
        return django_application(environ, start_response)
    signals.request_started.send(sender=None, environ=environ)
    try:
        request = WSGIRequest(environ)
        try:
            request.get_host()
        except DisallowedHost:
            return _respond(JsonResponse({"error": "unknown host"}, status=400), start_response)
        return _respond(receive(request, **match.groupdict()), start_response)
    finally:
        signals.request_finished.send(sender=None)
