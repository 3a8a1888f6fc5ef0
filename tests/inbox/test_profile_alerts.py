"""A profile that stops working (an expired token, sending that fails) is told to who may manage
profiles, once; the bell and the notifications page show it and lead to the profile registry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from loket.channels import registry
from loket.channels import services as channel_services
from loket.channels.contracts import (
    Capabilities,
    DeliveryReceipt,
    DeliveryStatus,
    InboundMessage,
    OutboundMessage,
    Visibility,
)
from loket.channels.models import ChannelAccount
from loket.inbox.models import Notification
from loket.tenancy import services as tenancy_services
from loket.tenancy.models import Organisation, User
from tests.conftest import GenericAccount

pytestmark = pytest.mark.django_db

PAGE = "/o/stad-voorbeeld/notifications/"


class FailingPlatform:
    """A platform whose every send fails for good, each time with another error."""

    name = "failbook"
    label = "Failbook"
    capabilities = Capabilities()

    def __init__(self) -> None:
        self.sends = 0

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return False

    def parse(self, body: bytes) -> list[InboundMessage]:
        return []

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        self.sends += 1
        return DeliveryReceipt(DeliveryStatus.FAILED, error=f"(#200) permission error {self.sends}")


@pytest.fixture(autouse=True)
def english(client: Client) -> None:
    client.cookies["loket_language"] = "en"


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run what waits for the commit (the health event's handlers), as in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def alerted() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(kind="profile_unhealthy").values_list(
            "recipient__username", "detail"
        )
    )


def test_an_unhealthy_profile_notifies_the_administrators_once(
    generic: GenericAccount, committed: Callable[[], Any]
) -> None:
    account = generic.account
    with committed():
        channel_services.set_health(account=account, problem="access token expired")
    # Stad Voorbeeld: admin administers; bram (coordinator) and anna (agent) do not.
    assert alerted() == [("admin", "access token expired")]
    notification = Notification.objects.get()
    assert notification.case is None
    assert notification.channel_account_id == account.pk
    assert notification.organisation.slug == "stad-voorbeeld"
    with committed():
        channel_services.set_health(account=account, problem="")  # recovered: no news
        channel_services.set_health(account=account, problem="access token expired")  # again
    assert Notification.objects.count() == 1
    # The handler run twice for one change (a retried task) changes nothing either.
    from loket.inbox import notifications

    notifications.profile_health_changed(account_id=account.pk, problem="access token expired")
    assert Notification.objects.count() == 1


def test_another_problem_is_news(generic: GenericAccount, committed: Callable[[], Any]) -> None:
    with committed():
        channel_services.set_health(account=generic.account, problem="access token expired")
    with committed():
        channel_services.set_health(account=generic.account, problem="page unpublished")
    assert [detail for _who, detail in alerted()] == ["access token expired", "page unpublished"]


def test_the_same_problem_on_another_day_is_news(
    generic: GenericAccount, committed: Callable[[], Any]
) -> None:
    account = generic.account
    with committed():
        channel_services.set_health(account=account, problem="access token expired")
    channel_services.set_health(account=account, problem="")
    with committed():
        channel_services.set_health(account=account, problem="access token expired")
        ChannelAccount.objects.filter(pk=account.pk).update(
            health_changed_at=timezone.now() + timedelta(days=1)
        )
    assert len(alerted()) == 2


def test_failing_sends_notify_once_whatever_their_errors(
    generic: GenericAccount, committed: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = FailingPlatform()
    monkeypatch.setitem(registry.connectors(), platform.name, platform)
    account, _secret = channel_services.create_account(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        connector=platform.name,
        name="Failbook",
    )
    for key in ("k1", "k2"):
        with committed():
            delivery = channel_services.queue_delivery(
                account=account,
                message=OutboundMessage(
                    idempotency_key=key, thread_id="t", visibility=Visibility.PUBLIC, text="Dag"
                ),
            )
        with committed():
            channel_services.deliver(delivery_id=delivery.pk)
    account.refresh_from_db()
    assert account.health_problem == "sending fails: (#200) permission error 2"
    assert alerted() == [("admin", "sending fails: (#200) permission error 1")]


def test_a_disconnected_profile_and_a_recovery_notify_nobody(
    generic: GenericAccount, committed: Callable[[], Any]
) -> None:
    channel_services.disconnect_profile(account=generic.account, actor=None)
    with committed():
        channel_services.set_health(account=generic.account, problem="access token expired")
    with committed():
        channel_services.set_health(account=generic.account, problem="")
    assert alerted() == []


def test_only_active_members_who_manage_profiles_hear_it(
    generic: GenericAccount, committed: Callable[[], Any]
) -> None:
    stad = Organisation.objects.get(slug="stad-voorbeeld")
    tenancy_services.set_membership(
        organisation=stad, user=User.objects.get(username="bram"), role="admin", team=None
    )
    carla = User.objects.get(username="carla")  # admin, but of another organisation
    tenancy_services.set_membership(
        organisation=Organisation.objects.get(slug="rivierdijk"), user=carla, role="admin"
    )
    User.objects.filter(username="admin").update(is_active=False)
    with committed():
        channel_services.set_health(account=generic.account, problem="access token expired")
    assert [who for who, _detail in alerted()] == ["bram"]


def test_the_bell_and_the_page_show_it_and_lead_to_the_registry(
    generic: GenericAccount, committed: Callable[[], Any], signed_in: Callable[[str], Client]
) -> None:
    ChannelAccount.objects.filter(pk=generic.account.pk).update(name="<b>Chat</b>")
    generic.account.refresh_from_db()
    with committed():
        channel_services.set_health(account=generic.account, problem="<i>token</i> expired")
    admin = signed_in("admin")
    start = admin.get("/o/stad-voorbeeld/").content.decode()
    bell = start[start.index('class="notifications-link"') :]
    assert '<span class="badge">1</span>' in bell[: bell.index("</a>")]
    page = admin.get(PAGE).content.decode()
    assert "Profile “&lt;b&gt;Chat&lt;/b&gt;” has a problem: &lt;i&gt;token&lt;/i&gt; expired" in (
        page
    )
    assert "<b>Chat</b>" not in page
    notification = Notification.objects.get()
    opened = admin.get(f"{PAGE}{notification.pk}/")
    assert opened.status_code == 302
    assert opened["Location"] == f"/o/stad-voorbeeld/profiles/#profile-{generic.account.pk}"
    notification.refresh_from_db()
    assert notification.read_at is not None
    registry_page = admin.get(opened["Location"]).content.decode()
    assert "&lt;i&gt;token&lt;/i&gt; expired" in registry_page


def test_the_page_in_dutch(
    generic: GenericAccount, committed: Callable[[], Any], signed_in: Callable[[str], Client]
) -> None:
    with committed():
        channel_services.set_health(account=generic.account, problem="access token expired")
    admin = signed_in("admin")
    admin.cookies["loket_language"] = "nl"
    page = admin.get(PAGE).content.decode()
    assert "Profiel “Website-chat” heeft een probleem: access token expired" in page
