"""What every platform connector gets from the framework: sealed secrets, verification
handshakes, polling with a persisted cursor, the echo guard, moderation and profile health."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pydantic import BaseModel, SecretStr

from loket.channels import registry, services
from loket.channels.contracts import (
    AccountContext,
    Author,
    Capabilities,
    ConversationKind,
    DeliveryReceipt,
    DeliveryStatus,
    HandshakeAnswer,
    InboundMessage,
    ModerationAction,
    OutboundMessage,
    PayloadError,
    PolledDelivery,
    PollResult,
    Visibility,
)
from loket.channels.models import ChannelAccount, InboundEvent
from loket.inbox import intake
from loket.inbox.models import Message
from loket.kernel import events
from loket.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


class FakeConfig(BaseModel):
    page_id: str = "page-1"
    access_token: SecretStr | None = None


class FakePlatform:
    """A polling, handshaking, moderating platform that lives in this file."""

    name = "fakeplatform"
    label = "Fake platform"
    capabilities = Capabilities(moderation=True)
    config_model = FakeConfig
    poll_interval_seconds = 30

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.auth_error = ""
        self.seen: list[AccountContext] = []
        self.moderated: list[tuple[ModerationAction, str]] = []

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return headers.get("X-Secret") == secret

    def parse(self, body: bytes) -> list[InboundMessage]:
        try:
            item = json.loads(body)
            if item == {"like": True}:
                return []  # a valid delivery that holds no citizen message
            return [
                InboundMessage(
                    external_id=item["id"],
                    thread_id=item.get("thread", "t1"),
                    kind=ConversationKind.PUBLIC_THREAD,
                    visibility=Visibility.PUBLIC,
                    author=Author(item["author"], item["author"].title()),
                    text=item["text"],
                    created_at=datetime(2026, 11, 28, 9, tzinfo=UTC),
                    is_echo=item["author"] == "page-1",
                    reply_context={"root": item.get("root", "")},
                )
            ]
        except (ValueError, KeyError, TypeError) as error:
            raise PayloadError(f"not a fake item: {error}") from error

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        return DeliveryReceipt(DeliveryStatus.FAILED, error="token expired")

    def handshake(
        self, *, query: Mapping[str, str], account: AccountContext
    ) -> HandshakeAnswer | None:
        if query.get("challenge") is None:
            return None
        if query.get("token") != account.secret:
            return HandshakeAnswer(403, "wrong token")
        return HandshakeAnswer(200, query["challenge"])

    def poll(self, *, account: AccountContext, cursor: str) -> PollResult:
        self.seen.append(account)
        if self.auth_error:
            return PollResult((), cursor, auth_error=self.auth_error)
        start = int(cursor or 0)
        fresh = self.items[start:]
        return PollResult(
            tuple(PolledDelivery(item["id"], json.dumps(item).encode()) for item in fresh),
            cursor=str(start + len(fresh)),
        )

    def moderate(
        self, *, action: ModerationAction, external_id: str, account: AccountContext
    ) -> DeliveryReceipt:
        self.moderated.append((action, external_id))
        return DeliveryReceipt(DeliveryStatus.SENT)


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> FakePlatform:
    fake = FakePlatform()
    monkeypatch.setitem(registry.connectors(), fake.name, fake)
    return fake


@pytest.fixture
def account(cast: None, platform: FakePlatform) -> ChannelAccount:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    account, _secret = services.create_account(
        organisation=organisation,
        connector=platform.name,
        name="Fake page",
        config={"page_id": "page-1", "access_token": "EAAB-very-secret"},
        secret="verify-me",
        handle="@stadvoorbeeld",
    )
    return account


def test_secret_settings_are_stored_encrypted_and_given_to_the_connector_decrypted(
    account: ChannelAccount,
) -> None:
    stored = ChannelAccount.objects.get(pk=account.pk).config
    assert "EAAB-very-secret" not in json.dumps(stored)
    assert stored["page_id"] == "page-1"
    assert services.account_config(account)["access_token"] == "EAAB-very-secret"
    context = services.account_context(account)
    assert context.secret == "verify-me"
    assert context.config["access_token"] == "EAAB-very-secret"


def test_an_empty_secret_setting_keeps_the_stored_one(account: ChannelAccount) -> None:
    services.update_config(account=account, config={"page_id": "page-2", "access_token": ""})
    assert services.account_config(account) == {
        "page_id": "page-2",
        "access_token": "EAAB-very-secret",
    }


def test_a_bad_setting_is_refused_with_what_is_wrong(cast: None, platform: FakePlatform) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="page_id"):
        services.create_account(
            organisation=Organisation.objects.get(slug="stad-voorbeeld"),
            connector=platform.name,
            name="Broken",
            config={"page_id": ["not", "a", "string"]},
        )


def test_the_verification_handshake_is_answered_by_the_connector(
    account: ChannelAccount,
) -> None:
    url = f"/hooks/{account.connector}/{account.public_id}"
    client = Client()
    answer = client.get(url, {"challenge": "12345", "token": "verify-me"})
    assert (answer.status_code, answer.content) == (200, b"12345")
    assert client.get(url, {"challenge": "12345", "token": "guess"}).status_code == 403
    assert client.get(url).status_code == 405  # not a handshake


def test_a_connector_without_handshake_answers_405_to_a_get(generic: Any) -> None:
    answer = Client().get(f"/hooks/generic/{generic.account.public_id}", {"hub.challenge": "1"})
    assert answer.status_code == 405


def test_polling_stores_new_items_and_moves_the_cursor(
    account: ChannelAccount, platform: FakePlatform
) -> None:
    platform.items = [{"id": "n1", "author": "citizen", "text": "Is het containerpark open?"}]
    assert services.poll(account_id=account.pk) == 1
    platform.items.append({"id": "n2", "author": "citizen", "text": "En op zondag?"})
    assert services.poll(account_id=account.pk) == 1
    assert services.poll(account_id=account.pk) == 0
    account.refresh_from_db()
    assert account.poll_cursor == "2"
    assert account.last_polled_at is not None
    assert platform.seen[0].config["access_token"] == "EAAB-very-secret"
    assert intake.process_pending(seconds=10) == (2, True)
    assert list(Message.objects.order_by("pk").values_list("external_id", flat=True)) == [
        "n1",
        "n2",
    ]


def test_a_lost_cursor_polls_again_without_doubling(
    account: ChannelAccount, platform: FakePlatform
) -> None:
    platform.items = [{"id": "n1", "author": "citizen", "text": "Hallo?"}]
    services.poll(account_id=account.pk)
    ChannelAccount.objects.filter(pk=account.pk).update(poll_cursor="")
    assert services.poll(account_id=account.pk) == 0
    assert InboundEvent.objects.count() == 1


def test_an_expired_token_marks_the_profile_unhealthy_and_says_so(
    account: ChannelAccount,
    platform: FakePlatform,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    heard: list[dict[str, Any]] = []
    monkeypatch.setitem(
        events._handlers, services.ACCOUNT_HEALTH_CHANGED, [lambda **kw: heard.append(kw)]
    )
    platform.auth_error = "access token expired"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.poll(account_id=account.pk) == 0
    account.refresh_from_db()
    assert account.health_problem == "access token expired"
    platform.auth_error = ""
    with django_capture_on_commit_callbacks(execute=True):
        services.poll(account_id=account.pk)
    account.refresh_from_db()
    assert account.health_problem == ""
    problems = [kw["problem"] for kw in heard if kw["account_id"] == account.pk]
    assert problems == ["access token expired", ""]


def test_due_profiles_are_polled_once_per_interval(
    account: ChannelAccount, platform: FakePlatform
) -> None:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    assert services.schedule_due_polls(now=now) == 1
    assert services.schedule_due_polls(now=now + timedelta(seconds=10)) == 0
    assert services.schedule_due_polls(now=now + timedelta(seconds=31)) == 1
    tasks = DBTaskResult.objects.filter(task_path="loket.channels.tasks.poll_account")
    assert [t.args_kwargs["args"] for t in tasks] == [[account.pk], [account.pk]]


def test_our_own_echo_is_never_ingested(account: ChannelAccount, platform: FakePlatform) -> None:
    platform.items = [
        {"id": "ours", "author": "page-1", "text": "Bedankt voor je vraag!"},
        {"id": "theirs", "author": "citizen", "text": "Bedankt!", "root": "post-9"},
    ]
    services.poll(account_id=account.pk)
    intake.process_pending(seconds=10)
    message = Message.objects.get()
    assert message.external_id == "theirs"
    assert message.reply_context == {"root": "post-9"}


def test_a_failing_send_marks_the_profile_and_moderation_reaches_the_platform(
    account: ChannelAccount, platform: FakePlatform
) -> None:
    delivery = services.queue_delivery(
        account=account,
        message=OutboundMessage(
            idempotency_key="k1",
            thread_id="t1",
            visibility=Visibility.PUBLIC,
            text="Dag!",
            reply_context={"root": "post-9"},
        ),
    )
    services.deliver(delivery_id=delivery.pk)
    account.refresh_from_db()
    assert account.health_problem == "sending fails: token expired"
    receipt = services.moderate(account=account, external_id="c1", action=ModerationAction.HIDE)
    assert receipt.status is DeliveryStatus.SENT
    assert platform.moderated == [(ModerationAction.HIDE, "c1")]


def test_a_rate_limited_poll_keeps_the_cursor_and_the_health_and_waits(
    account: ChannelAccount, platform: FakePlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.set_health(account=account, problem="access token expired")

    def limited(*, account: AccountContext, cursor: str) -> PollResult:
        return PollResult((), cursor, transient_error="429", retry_after=timedelta(minutes=15))

    monkeypatch.setattr(platform, "poll", limited)
    before = timezone.now()
    assert services.poll(account_id=account.pk) == 0
    account.refresh_from_db()
    assert account.health_problem == "access token expired"  # not cleared by a failed poll
    assert account.next_poll_at is not None
    assert account.next_poll_at >= before + timedelta(minutes=15)


def test_a_valid_delivery_without_a_message_is_acknowledged_and_not_stored(
    account: ChannelAccount,
) -> None:
    answer = Client().post(
        f"/hooks/{account.connector}/{account.public_id}",
        data=b'{"like": true}',
        content_type="application/json",
        headers={"X-Secret": "verify-me"},
    )
    assert (answer.status_code, answer.json()) == (200, {"status": "ignored"})
    assert not InboundEvent.objects.exists()


def test_every_declared_connector_loads() -> None:
    """A broken connector is left out at run time (and logged); in CI it fails here."""
    from importlib.metadata import entry_points

    declared = {entry.name for entry in entry_points(group=registry.ENTRY_POINT_GROUP)}
    assert declared >= {"generic", "facebook", "instagram", "whatsapp", "x", "bluesky"}
    assert declared >= {"mastodon", "email", "webform"}
    assert set(registry.connectors()) >= declared
    for name, connector in registry.connectors().items():
        assert connector.name == name
        assert connector.label
