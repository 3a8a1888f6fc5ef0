"""End to end against a running Mastodon API server (mastodon-mock, a stateful contract mock
of the REST API): a citizen mentions the municipality and writes it a direct message, Loket
polls them into the inbox, an agent answers both, and the citizen sees the answers in the
thread. `ada` plays the municipality, `grace` the citizen (the mock's demo accounts)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from loket.channels import services as channel_services
from loket.channels.contracts import DeliveryStatus, OutboundMessage, Visibility
from loket.channels.models import ChannelAccount, DeliveryState, OutboundDelivery
from loket.channels.registry import connector
from loket.inbox import intake
from loket.inbox import services as inbox_services
from loket.inbox.models import Case, ConversationKind, Message
from loket.tenancy.models import Organisation, Team, User

pytestmark = pytest.mark.django_db

CITY_TOKEN = "ada_token"
CITIZEN_TOKEN = "grace_token"
# mastodon-mock's rate limit resets five minutes after a 429, like Mastodon's own window.
RATE_LIMIT_WINDOW = timedelta(minutes=5)


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_answering(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"mastodon-mock stopped at start-up:\n{log.read_text()[-2000:]}")
        try:
            if requests.get(f"{base}/api/v1/instance", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"mastodon-mock did not answer within a minute:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def mastodon_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """mastodon-mock on a free loopback port, in memory, with its demo accounts."""
    executable = Path(sys.executable).parent / "mastodon_mock"
    if not executable.exists():
        _missing("mastodon-mock is not installed (it comes with the dev dependencies)")
    try:
        import mastodon  # noqa: F401
    except ImportError:
        _missing("Mastodon.py is not installed (it comes with the dev dependencies)")
    workdir = tmp_path_factory.mktemp("mastodon-mock")  # no project config is read from here
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = workdir / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(executable),
                "serve",
                "--in-memory",
                "--demo",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=workdir,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_answering(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def client(base: str, token: str) -> Any:
    from mastodon import Mastodon

    return Mastodon(access_token=token, api_base_url=base, version_check_mode="none")


def profile(base: str, *, token: str = CITY_TOKEN, account_id: str = "") -> ChannelAccount:
    organisation = Organisation.objects.get(slug="stad-voorbeeld")
    account, _secret = channel_services.create_account(
        organisation=organisation,
        connector="mastodon",
        name="Mastodon Stad Voorbeeld",
        team=Team.objects.get(organisation=organisation, name="Klantencontactcenter"),
        config={
            "instance_url": base,
            "access_token": token,
            "acct": "ada",
            "account_id": account_id,
        },
    )
    return account


def sent(delivery_id: int | None) -> OutboundDelivery:
    assert delivery_id is not None
    delivery = channel_services.deliver(delivery_id=delivery_id)
    assert delivery is not None
    assert delivery.status == DeliveryState.SENT, delivery.last_error
    return delivery


def test_a_citizen_on_mastodon_is_answered_from_the_inbox(mastodon_server: str, cast: None) -> None:
    city, citizen = client(mastodon_server, CITY_TOKEN), client(mastodon_server, CITIZEN_TOKEN)
    city_id, citizen_id = str(city.me()["id"]), str(citizen.me()["id"])
    # Mastodon 4.3's default for a new account: direct messages go to "filtered
    # notifications" (a request the account has to accept) instead of the notifications.
    requests.patch(
        f"{mastodon_server}/api/v2/notifications/policy",
        headers={"Authorization": f"Bearer {CITY_TOKEN}"},
        json={"for_private_mentions": "filter"},
        timeout=10,
    ).raise_for_status()

    post = city.status_post("De afvalkalender voor 2027 staat online.", visibility="public")
    question = citizen.status_post(
        "@ada Wanneer wordt het grof vuil opgehaald in de Kerkstraat?",
        in_reply_to_id=post["id"],
        visibility="public",
    )
    private = citizen.status_post(
        "@ada Mijn identiteitskaart is verlopen. Moet ik daarvoor een afspraak maken?",
        visibility="direct",
    )
    unfiltered = {str(n["status"]["id"]) for n in city.notifications(types=["mention"])}
    assert str(private["id"]) not in unfiltered  # what a poll without include_filtered misses

    account = profile(mastodon_server, account_id=city_id)
    assert channel_services.poll(account_id=account.pk) == 2
    assert intake.process_pending(seconds=10) == (2, True)

    public_message = Message.objects.get(channel_account=account, external_id=str(question["id"]))
    assert public_message.text == "Wanneer wordt het grof vuil opgehaald in de Kerkstraat?"
    assert public_message.conversation.kind == ConversationKind.PUBLIC_THREAD
    assert public_message.conversation.external_thread_id == str(post["id"])
    assert public_message.author_name == "Grace Hopper"
    private_message = Message.objects.get(channel_account=account, external_id=str(private["id"]))
    assert private_message.conversation.kind == ConversationKind.PRIVATE
    assert private_message.conversation.external_thread_id == f"direct:{citizen_id}"
    assert public_message.case is not None
    assert private_message.case is not None
    assert Case.objects.filter(channel_account=account).count() == 2

    # The agent answers the public question in public.
    bram = User.objects.get(username="bram")
    [public_reply] = inbox_services.reply(
        case=public_message.case,
        actor=bram,
        text="Op dinsdag 3 december, vanaf 7 uur. Zet het de avond ervoor buiten.",
        visibility="public",
    )
    delivery = sent(public_reply.delivery_id)
    thread = citizen.status_context(question["id"])
    [answer] = [s for s in thread["descendants"] if str(s["id"]) == delivery.external_id]
    assert str(answer["in_reply_to_id"]) == str(question["id"])
    assert answer["account"]["acct"] == "ada"
    assert answer["visibility"] == "unlisted"
    assert "@grace Op dinsdag 3 december" in answer["content"]
    mentioned = citizen.notifications(types=["mention"])
    assert delivery.external_id in {str(n["status"]["id"]) for n in mentioned}

    # The worker died after posting but before recording it: the retry carries the same
    # idempotency key, and Mastodon answers with the status it already has.
    OutboundDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryState.QUEUED)
    again = sent(delivery.pk)
    assert again.external_id == delivery.external_id
    ours = [
        s
        for s in citizen.status_context(question["id"])["descendants"]
        if s["account"]["acct"] == "ada"
    ]
    assert len(ours) == 1

    # The direct message is answered privately.
    [private_reply] = inbox_services.reply(
        case=private_message.case,
        actor=bram,
        text="Ja, via de website of aan het loket in het stadhuis.",
        visibility="private",
    )
    direct = sent(private_reply.delivery_id)
    status = citizen.status(direct.external_id)
    assert status["visibility"] == "direct"
    assert str(status["in_reply_to_id"]) == str(private["id"])
    assert direct.external_id in {
        str(s["id"]) for s in citizen.status_context(private["id"])["descendants"]
    }

    # The citizen answers the answer: the same private conversation, the same case.
    follow_up = citizen.status_post(
        "@ada Dank u! Moet ik een pasfoto meebrengen?",
        in_reply_to_id=direct.external_id,
        visibility="direct",
    )
    assert channel_services.poll(account_id=account.pk) == 1
    intake.process_pending(seconds=10)
    joined = Message.objects.get(channel_account=account, external_id=str(follow_up["id"]))
    assert joined.conversation_id == private_message.conversation_id
    assert joined.case_id == private_message.case_id
    # Loket's own statuses never came back in as citizen messages.
    outbound_ids = {delivery.external_id, direct.external_id}
    assert not Message.objects.filter(channel_account=account, external_id__in=outbound_ids)


def test_the_same_idempotency_key_gives_the_same_status(mastodon_server: str) -> None:
    citizen = client(mastodon_server, CITIZEN_TOKEN)
    question = citizen.status_post("@ada Is het zwembad open op 1 januari?", visibility="public")
    message = OutboundMessage(
        idempotency_key="reply-mastodon-idempotent",
        thread_id=str(question["id"]),
        visibility=Visibility.PUBLIC,
        text="Nee, op 1 januari is het zwembad gesloten.",
        reply_context={"status_id": str(question["id"]), "acct": "grace", "visibility": "public"},
    )
    settings = {"instance_url": mastodon_server, "access_token": CITY_TOKEN, "acct": "ada"}
    mastodon = connector("mastodon")
    first = mastodon.send(message=message, secret="", config=settings)
    second = mastodon.send(message=message, secret="", config=settings)
    assert first.status is second.status is DeliveryStatus.SENT
    assert first.external_id == second.external_id
    replies = citizen.status_context(question["id"])["descendants"]
    assert [str(s["id"]) for s in replies] == [first.external_id]


def test_a_rate_limited_reply_is_retried_after_the_reset(mastodon_server: str, cast: None) -> None:
    citizen = client(mastodon_server, CITIZEN_TOKEN)
    question = citizen.status_post("@ada Waar haal ik een parkeerkaart?", visibility="public")
    # One 429 on the next post, with the headers a rate-limited Mastodon sends.
    requests.post(
        f"{mastodon_server}/api/v1/_mock/faults",
        json={
            "match": {"methods": ["POST"], "path": "/api/v1/statuses"},
            "effect": {"type": "ratelimit"},
            "count": 1,
        },
        timeout=10,
    ).raise_for_status()
    account = profile(mastodon_server)
    delivery = channel_services.queue_delivery(
        account=account,
        message=OutboundMessage(
            idempotency_key="reply-mastodon-rate-limited",
            thread_id=str(question["id"]),
            visibility=Visibility.PUBLIC,
            text="Aan het onthaal van het stadhuis of online.",
            reply_context={
                "status_id": str(question["id"]),
                "acct": "grace",
                "visibility": "public",
            },
        ),
    )
    waiting = channel_services.deliver(delivery_id=delivery.pk)
    assert waiting is not None
    assert waiting.status == DeliveryState.QUEUED
    assert waiting.last_error.startswith("HTTP 429 from Mastodon")
    assert waiting.next_attempt_at is not None
    assert waiting.next_attempt_at > waiting.created_at + RATE_LIMIT_WINDOW - timedelta(seconds=15)
    assert citizen.status_context(question["id"])["descendants"] == []
    answer = sent(delivery.pk)
    [posted] = citizen.status_context(question["id"])["descendants"]
    assert str(posted["id"]) == answer.external_id


def test_a_refused_token_marks_the_profile(mastodon_server: str, cast: None) -> None:
    account = profile(mastodon_server, token="revoked_token")
    assert channel_services.poll(account_id=account.pk) == 0
    account.refresh_from_db()
    assert "HTTP 401" in account.health_problem
    assert account.poll_cursor == ""
