"""Background entry points of the web form: the confirmation e-mail.

Run by `loket worker` like every task (the task's path is stored with it, so this module only
needs to be importable). The submission is stored before this is queued: a mail server that is
down delays or loses the confirmation, never the citizen's message.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.tasks import task
from django.utils import timezone

from loket.channels import selectors, services
from loket.channels.connectors.webform import confirmation
from loket.channels.connectors.webform.config import WebformConfig
from loket.channels.contracts import DeliveryStatus

logger = logging.getLogger(__name__)
CONNECTOR = "webform"
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)


@task
def send_confirmation(
    account_public_id: str,
    address: str,
    language: str,
    submission_id: str,
    submitted_at: str,
    attempt: int = 1,
) -> str:
    account = selectors.account_for_webhook(CONNECTOR, account_public_id)
    if account is None:
        return "profile gone or inactive"
    config = WebformConfig.model_validate(services.account_config(account))
    if not config.send_confirmation:
        return "confirmations are off"
    receipt = confirmation.send(
        address=address,
        language=language,
        submission_id=submission_id,
        submitted_at=datetime.fromisoformat(submitted_at),
        organisation=account.organisation.name,
        config=config,
    )
    if receipt.status is DeliveryStatus.RETRY and attempt < MAX_ATTEMPTS:
        wait = FIRST_RETRY * 2 ** (attempt - 1)
        send_confirmation.using(run_after=timezone.now() + wait).enqueue(
            account_public_id, address, language, submission_id, submitted_at, attempt + 1
        )
        return f"retrying in {wait}: {receipt.error}"
    if receipt.status is not DeliveryStatus.SENT:
        logger.warning(
            "confirmation of web form submission %s not sent: %s", submission_id, receipt.error
        )
        return f"not sent: {receipt.error}"
    return "sent"
