"""Moderating a citizen's public comment from the case page: hide, make visible again, delete
on the platform (asked twice, for coordinators and administrators only). The platform's answer
goes into the case history either way; Loket never deletes its own copy of the message."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from loket.channels import registry
from loket.channels import services as channel_services
from loket.channels.contracts import (
    AccountContext,
    Author,
    Capabilities,
    ConversationKind,
    DeliveryReceipt,
    DeliveryStatus,
    InboundMessage,
    ModerationAction,
    OutboundMessage,
    PayloadError,
    Visibility,
)
from loket.channels.models import ChannelAccount
from loket.inbox import services
from loket.inbox.models import Case, CaseEvent, Message
from loket.tenancy.models import Organisation, User
from tests.conftest import GenericAccount, event, process_all

pytestmark = pytest.mark.django_db

COMMENT = "Dit is schandalig, het containerpark is alweer dicht!"


class ModeratingPlatform:
    """A platform with public comments and private messages that can hide and delete."""

    name = "fakegram"
    label = "Fakegram"
    capabilities = Capabilities(moderation=True, private_reply_to_public=True)

    def __init__(self) -> None:
        self.moderated: list[tuple[ModerationAction, str]] = []
        self.answer = DeliveryReceipt(DeliveryStatus.SENT)

    def verify(self, *, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        return headers.get("X-Secret") == secret

    def parse(self, body: bytes) -> list[InboundMessage]:
        try:
            item = json.loads(body)
            private = item.get("private", False)
            return [
                InboundMessage(
                    external_id=item["id"],
                    thread_id=item.get("thread", "post-1"),
                    kind=ConversationKind.PRIVATE if private else ConversationKind.PUBLIC_THREAD,
                    visibility=Visibility.PRIVATE if private else Visibility.PUBLIC,
                    author=Author(item["author"], item["author"].title()),
                    text=item["text"],
                    created_at=datetime(2026, 11, 28, 9, tzinfo=UTC),
                )
            ]
        except (ValueError, KeyError, TypeError) as error:
            raise PayloadError(f"not a fakegram item: {error}") from error

    def send(
        self, *, message: OutboundMessage, secret: str, config: Mapping[str, Any]
    ) -> DeliveryReceipt:
        return DeliveryReceipt(DeliveryStatus.SENT, external_id="r1")

    def moderate(
        self, *, action: ModerationAction, external_id: str, account: AccountContext
    ) -> DeliveryReceipt:
        self.moderated.append((action, external_id))
        return self.answer


@pytest.fixture(autouse=True)
def english(client: Client) -> None:
    client.cookies["loket_language"] = "en"


@pytest.fixture
def platform(monkeypatch: pytest.MonkeyPatch) -> ModeratingPlatform:
    fake = ModeratingPlatform()
    monkeypatch.setitem(registry.connectors(), fake.name, fake)
    return fake


@pytest.fixture
def account(cast: None, platform: ModeratingPlatform) -> ChannelAccount:
    account, _secret = channel_services.create_account(
        organisation=Organisation.objects.get(slug="stad-voorbeeld"),
        connector=platform.name,
        name="Fakegram Stad Voorbeeld",
        secret="s3cret",
    )
    return account


def receive(account: ChannelAccount, **item: Any) -> Message:
    channel_services.receive(
        account=account,
        headers={"X-Secret": "s3cret"},
        body=json.dumps({"author": "citizen-1", **item}).encode(),
    )
    process_all()
    return Message.objects.get(external_id=item["id"])


@pytest.fixture
def comment(account: ChannelAccount) -> Message:
    return receive(account, id="c-1", text=COMMENT)


def case_url(message: Message) -> str:
    assert message.case is not None
    return f"/o/stad-voorbeeld/inbox/{message.case.number}/"


def moderate(client: Client, message: Message, action: str, **extra: str) -> Any:
    return client.post(
        case_url(message) + "moderate/", {"message": message.pk, "action": action, **extra}
    )


def buttons(page: str) -> set[str]:
    return {
        action
        for action in ("hide", "unhide", "delete")
        if f'name="action" value="{action}"' in page
    }


def moderation_events() -> list[dict[str, Any]]:
    return [event.data for event in CaseEvent.objects.filter(kind="moderated").order_by("pk")]


def test_an_agent_hides_and_shows_a_comment_again(
    signed_in: Callable[[str], Client], comment: Message, platform: ModeratingPlatform
) -> None:
    anna = signed_in("anna")
    page = anna.get(case_url(comment)).content.decode()
    # An agent may hide, not delete: deleting is for coordinators and administrators.
    assert buttons(page) == {"hide"}
    response = moderate(anna, comment, "hide")
    assert response.status_code == 302
    assert response["Location"] == f"{case_url(comment)}#message-{comment.pk}"
    assert platform.moderated == [(ModerationAction.HIDE, "c-1")]
    comment.refresh_from_db()
    assert comment.moderation == "hidden"
    page = anna.get(case_url(comment)).content.decode()
    assert "The comment is hidden on the platform." in page
    assert 'data-moderation="hidden"' in page
    assert "Hidden on the platform" in page
    assert "Hid a citizen&#x27;s comment on the platform." in page
    assert buttons(page) == {"unhide"}
    moderate(anna, comment, "unhide")
    comment.refresh_from_db()
    assert comment.moderation == ""
    assert [data["action"] for data in moderation_events()] == ["hide", "unhide"]
    first = CaseEvent.objects.filter(kind="moderated").order_by("pk").first()
    assert first is not None
    assert first.actor == User.objects.get(username="anna")
    assert moderation_events()[0] == {
        "action": "hide",
        "message": comment.pk,
        "external_id": "c-1",
        "outcome": "sent",
        "error": "",
    }


def test_deleting_asks_first_and_keeps_the_message_in_loket(
    signed_in: Callable[[str], Client], comment: Message, platform: ModeratingPlatform
) -> None:
    bram = signed_in("bram")
    assert buttons(bram.get(case_url(comment)).content.decode()) == {"hide", "delete"}
    asked = moderate(bram, comment, "delete")
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Delete this comment on the platform?" in page
    assert 'name="confirm" value="1"' in page
    assert platform.moderated == []
    assert moderation_events() == []
    done = moderate(bram, comment, "delete", confirm="1")
    assert done.status_code == 302
    assert platform.moderated == [(ModerationAction.DELETE, "c-1")]
    comment.refresh_from_db()
    assert comment.moderation == "deleted_on_platform"
    assert Message.objects.filter(pk=comment.pk, text=COMMENT).exists()
    page = bram.get(case_url(comment)).content.decode()
    assert COMMENT in page
    assert "Deleted on the platform" in page
    assert buttons(page) == set()  # nothing more to do on the platform
    assert moderation_events()[-1]["outcome"] == "sent"
    # Asked again (a second tab): refused, nothing sent.
    moderate(bram, comment, "delete", confirm="1")
    assert len(platform.moderated) == 1


def test_an_agent_cannot_delete_by_posting(
    signed_in: Callable[[str], Client], comment: Message, platform: ModeratingPlatform
) -> None:
    response = moderate(signed_in("anna"), comment, "delete", confirm="1")
    assert response.status_code == 403
    assert platform.moderated == []
    comment.refresh_from_db()
    assert comment.moderation == ""


def test_a_refusal_of_the_platform_is_shown_and_recorded(
    signed_in: Callable[[str], Client], comment: Message, platform: ModeratingPlatform
) -> None:
    platform.answer = DeliveryReceipt(DeliveryStatus.FAILED, error="(#100) comment not found")
    anna = signed_in("anna")
    response = moderate(anna, comment, "hide")
    page = anna.get(response["Location"]).content.decode()
    assert "The platform did not do it: (#100) comment not found" in page
    assert (
        "Hiding a citizen&#x27;s comment on the platform failed: (#100) comment not found" in page
    )
    comment.refresh_from_db()
    assert comment.moderation == ""
    assert moderation_events() == [
        {
            "action": "hide",
            "message": comment.pk,
            "external_id": "c-1",
            "outcome": "failed",
            "error": "(#100) comment not found",
        }
    ]


def test_the_platforms_error_is_shown_inert(
    signed_in: Callable[[str], Client], comment: Message, platform: ModeratingPlatform
) -> None:
    platform.answer = DeliveryReceipt(DeliveryStatus.RETRY, error="<img src=x onerror=alert(1)>")
    anna = signed_in("anna")
    page = anna.get(moderate(anna, comment, "hide")["Location"]).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_private_messages_and_our_own_replies_offer_no_moderation(
    signed_in: Callable[[str], Client], account: ChannelAccount, platform: ModeratingPlatform
) -> None:
    private = receive(account, id="dm-1", text="Mag ik u iets vragen?", private=True, thread="dm")
    bram = signed_in("bram")
    assert buttons(bram.get(case_url(private)).content.decode()) == set()
    moderate(bram, private, "hide")
    assert platform.moderated == []
    assert moderation_events() == []
    assert private.case is not None
    services.reply(
        case=private.case,
        actor=User.objects.get(username="bram"),
        text="Zeker!",
        visibility="private",
    )
    ours = Message.objects.get(direction="outbound")
    with pytest.raises(ValidationError):
        services.moderate_message(
            case=private.case, message=ours, action=ModerationAction.HIDE, actor=None
        )


def test_a_platform_without_moderation_offers_none(
    signed_in: Callable[[str], Client], generic: GenericAccount
) -> None:
    generic.post(event("e1", text=COMMENT))
    process_all()
    comment = Message.objects.get()
    bram = signed_in("bram")
    assert buttons(bram.get(case_url(comment)).content.decode()) == set()
    response = bram.post(
        case_url(comment) + "moderate/", {"message": comment.pk, "action": "hide"}, follow=True
    )
    assert "This cannot be done to this message on its platform." in response.content.decode()
    assert moderation_events() == []


def test_a_disconnected_profile_offers_no_moderation(
    signed_in: Callable[[str], Client], comment: Message, platform: ModeratingPlatform
) -> None:
    channel_services.disconnect_profile(account=comment.channel_account, actor=None)
    bram = signed_in("bram")
    assert buttons(bram.get(case_url(comment)).content.decode()) == set()
    moderate(bram, comment, "hide")
    assert platform.moderated == []


def test_a_message_of_another_case_is_not_found(
    signed_in: Callable[[str], Client], account: ChannelAccount, platform: ModeratingPlatform
) -> None:
    first = receive(account, id="c-1", text=COMMENT, thread="post-1")
    other = receive(
        account, id="c-2", text="Wanneer is de markt?", thread="post-2", author="citizen-2"
    )
    assert first.case_id != other.case_id
    response = signed_in("bram").post(
        case_url(first) + "moderate/", {"message": other.pk, "action": "hide"}
    )
    assert response.status_code == 404
    assert platform.moderated == []


def test_non_members_get_404(
    signed_in: Callable[[str], Client], comment: Message, platform: ModeratingPlatform
) -> None:
    response = moderate(signed_in("carla"), comment, "hide")
    assert response.status_code == 404
    assert platform.moderated == []


def test_the_case_history_is_append_only(comment: Message, platform: ModeratingPlatform) -> None:
    case = Case.objects.get(pk=comment.case_id)
    services.moderate_message(
        case=case,
        message=comment,
        action=ModerationAction.HIDE,
        actor=User.objects.get(username="bram"),
    )
    recorded = CaseEvent.objects.get(kind="moderated")
    from loket.inbox.models import HistoryIsAppendOnly

    with pytest.raises(HistoryIsAppendOnly):
        recorded.delete()
