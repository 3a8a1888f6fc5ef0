"""`POST /hooks/<connector>/<account>`: verify on the raw bytes, store, answer fast.

Never a 500 for what a sender sends: 404 unknown account, 413 too large, 401 bad or missing
signature, 400 malformed (saying what), 200 accepted or duplicate.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from loket.channels import registry, selectors, services
from loket.channels.contracts import PayloadError

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


class _AccountCache:
    """Accounts and their decrypted secrets, per process, for a short while.

    Looking up the account and decrypting its secret is a third of the webhook's work; a
    platform posts to the same few accounts all day. A deactivated account or a new secret
    takes effect within TTL seconds.
    """

    TTL = 30.0
    SIZE = 1000

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[float, Any, str]] = {}
        self._lock = threading.Lock()

    def get(self, connector: str, public_id: str) -> tuple[Any, str] | None:
        key = (connector, public_id)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1], entry[2]
        account = selectors.account_for_webhook(connector, public_id)
        if account is None:
            return None
        secret = services.account_secret(account)
        with self._lock:
            if len(self._entries) >= self.SIZE:
                self._entries.clear()
            self._entries[key] = (now + self.TTL, account, secret)
        return account, secret

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_accounts = _AccountCache()


def _handshake(request: HttpRequest, account: Any) -> HttpResponse:
    """A platform's verification request: answered by the connector, or 405 if it has none."""
    try:
        answer = services.handshake(account=account, query=request.GET.dict())
    except PayloadError as error:
        return _answer({"error": str(error)}, status=400)
    if answer is None:
        return _answer({"error": "POST deliveries here"}, status=405)
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    response["Cache-Control"] = "no-store"
    return response


def _answer(data: dict[str, str], status: int = 200) -> JsonResponse:
    """A JSON answer with its length: platforms and proxies need no chunked framing."""
    response = JsonResponse(data, status=status)
    response["Content-Length"] = str(len(response.content))
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest, connector: str, account_id: str) -> HttpResponse:
    try:
        registry.connector(connector)
    except registry.UnknownConnector:
        return _answer({"error": "unknown channel"}, status=404)
    known = _accounts.get(connector, account_id)
    if known is None:
        return _answer({"error": "unknown account"}, status=404)
    account, secret = known
    if request.method == "GET":
        return _handshake(request, account)
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _answer({"error": "bad Content-Length"}, status=400)
    if declared > MAX_BODY:
        return _answer({"error": f"body over {MAX_BODY // 1024} KiB"}, status=413)
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return _answer({"error": f"body over {MAX_BODY // 1024} KiB"}, status=413)
    try:
        receipt = services.receive(
            account=account, headers=request.headers, body=body, secret=secret
        )
    except services.BadSignature:
        return _answer({"error": "bad or missing signature"}, status=401)
    except PayloadError as error:
        return _answer({"error": str(error)}, status=400)
    except DatabaseError:
        # Nothing was stored; the platform retries later.
        logger.exception("webhook of account %s could not be stored", account.public_id)
        return _answer({"error": "temporarily unavailable, try again"}, status=503)
    return _answer({"status": receipt.value})
