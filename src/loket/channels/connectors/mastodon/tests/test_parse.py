"""The Mastodon parser on documented notification payloads and on hostile input."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loket.channels.connectors.mastodon.parse import OWN_ACCOUNT_KEY, parse
from loket.channels.connectors.mastodon.text import html_to_text, mastodon_length
from loket.channels.contracts import ConversationKind, InboundMessage, PayloadError, Visibility

FIXTURES = Path(__file__).parents[1] / "fixtures"
PROFILE = {"id": "109876543210987654", "acct": "stadvoorbeeld"}


def notification(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_bytes())
    return data


def polled(name: str, **own: str) -> bytes:
    """The fixture as the poller stores it: with the profile that polled."""
    return json.dumps({**notification(name), OWN_ACCOUNT_KEY: own or PROFILE}).encode()


def only(body: bytes) -> InboundMessage:
    [message] = parse(body)
    return message


def test_a_public_reply_under_a_post_of_the_profile() -> None:
    message = only(polled("mention__public_reply_to_post"))
    assert message.external_id == "113570091822334455"  # the status, not the notification
    assert message.kind is ConversationKind.PUBLIC_THREAD
    assert message.visibility is Visibility.PUBLIC
    # The thread is the post replied to: all comments under it are one conversation.
    assert message.thread_id == "113569874400112233"
    assert message.in_reply_to == "113569874400112233"
    assert message.author.external_id == "jefvermeulen@toot.example"
    assert message.author.name == "Jef Vermeulen"
    assert message.text == (
        "Wanneer wordt het grof vuil opgehaald in de Kerkstraat? "
        "Op de kalender staat 3 december & op de website 10 december."
    )
    assert message.created_at == datetime(2026, 11, 28, 9, 15, 0, 940000, tzinfo=UTC)
    assert message.reply_context == {
        "status_id": "113570091822334455",
        "acct": "jefvermeulen@toot.example",
        "visibility": "public",
    }
    assert not message.is_echo


def test_a_direct_message_is_a_private_conversation_with_that_person() -> None:
    message = only(polled("mention__direct_message"))
    assert message.kind is ConversationKind.PRIVATE
    assert message.visibility is Visibility.PRIVATE
    assert message.thread_id == "direct:111022334455667788"
    assert message.in_reply_to is None
    assert message.text == (
        "Goedenavond,\nde straatlamp voor nummer 12 in de Molenstraat is al een week stuk.\n\n"
        "Kan iemand daar eens naar kijken? Het is er 's avonds echt donker."
    )
    # No display name: the address stands in.
    assert message.author.name == "sofieclaes"
    [photo] = message.attachments
    assert (photo.kind, photo.name) == ("image", "Kapotte straatlamp in de Molenstraat bij avond")
    assert photo.url.endswith("/original/straatlamp.jpg")
    assert message.reply_context["visibility"] == "direct"


def test_every_direct_message_of_one_person_lands_in_one_conversation() -> None:
    first = notification("mention__direct_message")
    follow_up = json.loads(json.dumps(first))
    follow_up["status"]["id"] = "113572900000000001"
    follow_up["status"]["in_reply_to_id"] = "113572800000000000"  # our answer
    [a], [b] = parse(json.dumps(first).encode()), parse(json.dumps(follow_up).encode())
    assert a.thread_id == b.thread_id


def test_followers_only_is_answered_as_public_and_the_warning_comes_first() -> None:
    message = only(polled("mention__followers_only_with_content_warning"))
    assert message.kind is ConversationKind.PUBLIC_THREAD
    assert message.thread_id == "113575028811223344"  # a new mention starts its own thread
    assert message.reply_context["visibility"] == "private"
    # Not at the front, so the mention stays where the citizen wrote it; the link is whole.
    assert message.text == (
        "Verkeer Stationsplein\n\n"
        "Alweer bijna een aanrijding aan het zebrapad op het Stationsplein, @stadvoorbeeld. "
        "Komen er eindelijk verkeerslichten? Meer info: "
        "https://www.stadvoorbeeld.example/mobiliteit/stationsplein-heraanleg"
    )


def test_the_profiles_own_post_is_an_echo() -> None:
    assert only(polled("mention__profile_own_post")).is_echo
    assert only(polled("mention__profile_own_post", acct="StadVoorbeeld")).is_echo
    assert only(polled("mention__profile_own_post", id="109876543210987654")).is_echo
    assert not only(polled("mention__profile_own_post", acct="andere_stad")).is_echo


def test_without_the_profile_nothing_is_taken_for_its_own() -> None:
    body = json.dumps(notification("mention__public_reply_to_post")).encode()
    message = only(body)
    assert message.text.startswith("@stadvoorbeeld Wanneer")
    assert not only(json.dumps(notification("mention__profile_own_post")).encode()).is_echo


def test_the_profile_is_known_by_its_id_alone() -> None:
    message = only(polled("mention__public_reply_to_post", id="109876543210987654"))
    assert message.text.startswith("Wanneer wordt")


def test_only_the_profiles_mention_is_taken_off_the_front() -> None:
    body = notification("mention__public_reply_to_post")
    body["status"]["content"] = (
        "<p>@jan @stadvoorbeeld@stadvoorbeeld.example: @stadvoorbeeld zie foto</p>"
    )
    body[OWN_ACCOUNT_KEY] = PROFILE
    assert only(json.dumps(body).encode()).text == "@jan @stadvoorbeeld zie foto"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Eén</p><p>Twee</p>", "Eén\n\nTwee"),
        ("<p>regel<br>regel<br/>regel</p>", "regel\nregel\nregel"),
        ("<p>a &lt;b&gt; &amp;amp; &#128512; &eacute;</p>", "a <b> &amp; 😀 é"),
        ("<p>spaties\n  in   de\tbron</p>", "spaties in de bron"),
        ("<p>x</p><script>alert('x')</script><style>p{}</style>", "x"),
        ("<ul><li>een</li><li>twee</li></ul>", "een\ntwee"),
        ("<pre>zo\nblijft het</pre>", "zo\nblijft het"),
        # Markup cut off at the end is shown as text, never interpreted.
        ("<p>kapot <a href='x'", "kapot <a href='x'"),
        ("<![ weird", ""),
        ("", ""),
    ],
)
def test_html_becomes_plain_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_mastodon_counts_links_and_remote_mentions_short() -> None:
    assert mastodon_length("@jef@toot.example zie https://www.vlaanderen.be/" + "x" * 80) == (
        len("@jef zie ") + 23
    )


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"type": "favourite"}, "not a mention"),
        ({"status": None}, "needs its status"),
        ({"id": "../etc"}, "id"),
        ({"account": {"id": "1"}}, "account.acct"),
        ({"status": {"id": "1", "visibility": "public"}}, "status.created_at"),
        (
            {
                "status": {
                    "id": "1",
                    "visibility": "public",
                    "created_at": "2026-11-28T09:00:00",
                }
            },
            "time zone",
        ),
    ],
)
def test_a_malformed_notification_says_what_is_wrong(change: dict[str, Any], says: str) -> None:
    body = {**notification("mention__public_reply_to_post"), **change}
    with pytest.raises(PayloadError, match=says):
        parse(json.dumps(body).encode())


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[]", "JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply|not valid JSON"),
    ],
)
def test_what_is_not_a_notification(body: bytes, says: str) -> None:
    with pytest.raises(PayloadError, match=says):
        parse(body)


def test_numeric_ids_of_other_servers_are_read_as_text() -> None:
    body = notification("mention__public_reply_to_post")
    body["status"]["id"] = 113570091822334455
    assert only(json.dumps(body).encode()).external_id == "113570091822334455"


def _accepts_or_explains(body: bytes) -> None:
    """Only a list of messages or a PayloadError saying what is wrong may come out."""
    outcome: list[InboundMessage] | PayloadError
    try:
        outcome = parse(body)
    except PayloadError as error:
        outcome = error
    if isinstance(outcome, PayloadError):
        assert str(outcome)
    else:
        assert all(isinstance(message, InboundMessage) for message in outcome)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_parser(body: bytes) -> None:
    _accepts_or_explains(body)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(
        [
            "mention__public_reply_to_post",
            "mention__direct_message",
            "mention__followers_only_with_content_warning",
            "mention__profile_own_post",
        ]
    ),
    cut=st.integers(min_value=0, max_value=4000),
)
def test_truncated_notifications_never_crash_the_parser(name: str, cut: int) -> None:
    _accepts_or_explains(polled(name)[:cut])


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(["mention__public_reply_to_post", "mention__direct_message"]),
    path=st.lists(
        st.sampled_from(["status", "account", "mentions", "media_attachments", 0, "content"]),
        min_size=1,
        max_size=3,
    ),
    value=_json,
)
def test_any_field_replaced_by_any_json_never_crashes_the_parser(
    name: str, path: list[str | int], value: Any
) -> None:
    body: Any = notification(name)
    target = body
    for step in path[:-1]:
        try:
            target = target[step]
        except (KeyError, IndexError, TypeError):
            break
    with contextlib.suppress(IndexError, TypeError):  # not a container after all
        target[path[-1]] = value
    _accepts_or_explains(json.dumps(body).encode())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_any_html_content_never_crashes_the_parser(content: str) -> None:
    body = notification("mention__public_reply_to_post")
    body["status"]["content"] = content
    body["status"]["spoiler_text"] = content[::-1]
    body[OWN_ACCOUNT_KEY] = PROFILE
    _accepts_or_explains(json.dumps(body).encode())
