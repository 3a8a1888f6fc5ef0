"""`POST /hooks/<connector>/<account>`: verify on the raw bytes, store, answer fast.

Never a 500 for what a sender sends: 404 unknown account, 413 too large, 401 bad or missing
signature, 400 malformed (saying what), 200 accepted or duplicate.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from loket.channels import registry, selectors, services
from loket.channels.contracts import PayloadError

logger = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


@csrf_exempt
@require_POST
def receive(request: HttpRequest, connector: str, account_id: str) -> JsonResponse:
    try:
        registry.connector(connector)
    except registry.UnknownConnector:
        return JsonResponse({"error": "unknown channel"}, status=404)
    account = selectors.account_for_webhook(connector, account_id)
    if account is None:
        return JsonResponse({"error": "unknown account"}, status=404)
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return JsonResponse({"error": "bad Content-Length"}, status=400)
    if declared > MAX_BODY:
        return JsonResponse({"error": f"body over {MAX_BODY // 1024} KiB"}, status=413)
    body = request.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        return JsonResponse({"error": f"body over {MAX_BODY // 1024} KiB"}, status=413)
    try:
        receipt = services.receive(account=account, headers=request.headers, body=body)
    except services.BadSignature:
        return JsonResponse({"error": "bad or missing signature"}, status=401)
    except PayloadError as error:
        return JsonResponse({"error": str(error)}, status=400)
    except DatabaseError:
        # Nothing was stored; the platform retries later.
        logger.exception("webhook of account %s could not be stored", account.public_id)
        return JsonResponse({"error": "temporarily unavailable, try again"}, status=503)
    return JsonResponse({"status": receipt.value})
