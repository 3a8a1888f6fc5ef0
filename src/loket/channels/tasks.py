"""Background entry points of channels. They take ids and call services."""

from __future__ import annotations

from django.tasks import task

from loket.channels import services


@task
def deliver(delivery_id: int) -> str:
    delivery = services.deliver(delivery_id=delivery_id)
    return delivery.status if delivery is not None else "nothing to do"


@task
def poll_account(account_id: int) -> int:
    return services.poll(account_id=account_id)
