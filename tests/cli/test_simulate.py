"""The demo simulator: a corpus the webhook accepts, a plausible script, and a live run."""

from __future__ import annotations

import io
import json
import random
import socket
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.be import nn

from loket.channels.connectors.generic.parse import parse
from loket.channels.contracts import Visibility
from loket.channels.models import InboundEvent
from loket.cli import demo_cast, simulate
from loket.cli.demo_messages import (
    AUTHORS,
    GENERAL_POSTS,
    MESSAGES,
    PLACEHOLDERS,
    REACTIONS,
    DemoMessage,
    Scope,
    fake_national_number,
    render,
)
from loket.inbox import grouping
from loket.triage.contracts import MessageType
from tests.cli.test_command import run_loket


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - picks demo messages, not secrets


EVERY_TEXT = [
    (item, text) for item in (*MESSAGES, *REACTIONS) for text in (item.text, *item.follow_ups)
]


# --- the corpus -----------------------------------------------------------------------------


def test_the_corpus_is_large_and_varied() -> None:
    assert len(MESSAGES) >= 120
    languages = Counter(item.language for item in (*MESSAGES, *REACTIONS))
    assert set(languages) == {"nl", "fr", "en"}
    assert languages["nl"] > languages["fr"] + languages["en"]  # most are Dutch
    assert {item.intended_type for item in MESSAGES} == set(MessageType)
    assert {item.visibility for item in MESSAGES} == set(Visibility)
    assert {item.scope for item in MESSAGES} == set(Scope)
    assert sum(item.urgent for item in MESSAGES) >= 2
    assert any("{rrn}" in item.text for item in MESSAGES)
    assert any("{tel}" in item.text for item in MESSAGES)
    assert any(item.follow_ups for item in MESSAGES)
    assert len({item.text for item in MESSAGES}) == len(MESSAGES), "a message appears twice"


@pytest.mark.parametrize(("item", "text"), EVERY_TEXT, ids=lambda v: str(v)[:40])
def test_every_message_is_a_valid_generic_event(item: DemoMessage, text: str) -> None:
    rendered = render(text, place="Voorbeeld", rng=seeded(1))
    assert not any(placeholder in rendered for placeholder in PLACEHOLDERS)
    assert "{" not in rendered
    payload = simulate.event_payload(
        event_id="sim-test-1",
        thread_id="post-1" if item.visibility is Visibility.PUBLIC else "chat-1",
        thread_title=item.thread,
        visibility=item.visibility,
        author=simulate.citizen(AUTHORS[item.language][0]),
        text=rendered,
        in_reply_to=None,
    )
    [message] = parse(json.dumps(payload).encode())
    assert message.text == rendered.strip() or message.text == rendered
    assert message.visibility is item.visibility
    assert message.created_at.tzinfo is not None


def test_threads_are_public_and_some_comments_ask_the_same_thing() -> None:
    threads: dict[str, list[DemoMessage]] = {}
    for item in MESSAGES:
        if item.thread:
            threads.setdefault(item.thread, []).append(item)
    assert len(threads) >= 4
    for title, comments in threads.items():
        assert len(comments) >= 3, title
        assert all(c.visibility is Visibility.PUBLIC for c in comments), title
        assert len({c.scope for c in comments}) == 1, title
    grouped = [
        title
        for title, comments in threads.items()
        if any(
            grouping.same_question(a.text, b.text)
            for i, a in enumerate(comments)
            for b in comments[i + 1 :]
        )
    ]
    assert len(grouped) >= 3, grouped
    assert all(GENERAL_POSTS[scope] for scope in Scope)


def test_made_up_national_numbers_have_a_valid_check_number() -> None:
    rng = seeded(5)
    numbers = {fake_national_number(rng) for _ in range(50)}
    assert len(numbers) == 50
    assert all(nn.is_valid(number) for number in numbers)


# --- the script -----------------------------------------------------------------------------


def fake_targets() -> list[simulate.Target]:
    places = {o.slug: o.place for o in demo_cast.ORGANISATIONS}
    return [
        simulate.Target(
            organisation=channel.organisation,
            place=places[channel.organisation],
            scope=Scope.FLEMISH if channel.organisation == "vlaamse-overheid" else Scope.LOCAL,
            account_id=f"account-{index}",
            name=channel.name,
            secret="s",
            visibilities=channel.visibilities,
        )
        for index, channel in enumerate(demo_cast.CHANNELS)
    ]


def play(seed: int, steps: int) -> list[simulate.Delivery]:
    script = simulate.Script(fake_targets(), rng=seeded(seed), run_id="t")
    return [script.next() for _ in range(steps)]


def test_the_script_makes_threads_replies_and_valid_events() -> None:
    deliveries = play(seed=11, steps=300)
    payloads = [d.payload for d in deliveries]
    ids = [p["event_id"] for p in payloads]
    assert len(set(ids)) == len(ids)
    for delivery in deliveries:
        [message] = parse(delivery.body)
        assert delivery.payload["visibility"] in delivery.target.visibilities
        assert message.external_id == delivery.payload["event_id"]
    # Replies point at an earlier event in the same conversation on the same account.
    by_id = {d.payload["event_id"]: (n, d) for n, d in enumerate(deliveries)}
    replies = [(n, d) for n, d in enumerate(deliveries) if d.payload["in_reply_to"]]
    assert len(replies) >= 10
    for n, reply in replies:
        earlier, parent = by_id[reply.payload["in_reply_to"]]
        assert earlier < n
        assert parent.target == reply.target
        assert parent.payload["thread_id"] == reply.payload["thread_id"]
    # Private follow-ups come from the same citizen; a post gathers several citizens.
    private_replies = [d for _n, d in replies if d.payload["visibility"] == "private"]
    assert private_replies
    for reply in private_replies:
        parent = by_id[reply.payload["in_reply_to"]][1]
        assert parent.payload["author"] == reply.payload["author"]
    posts = Counter(
        (d.target.account_id, d.payload["thread_id"])
        for d in deliveries
        if d.payload["visibility"] == "public"
    )
    assert max(posts.values()) >= 5
    authors_per_post: dict[tuple[str, str], set[str]] = {}
    for d in deliveries:
        if d.payload["visibility"] == "public":
            key = (d.target.account_id, d.payload["thread_id"])
            authors_per_post.setdefault(key, set()).add(d.payload["author"]["id"])
    assert max(len(authors) for authors in authors_per_post.values()) >= 4
    # Each comment under a thread post has its own author (the intake would join them).
    for title in {m.thread for m in MESSAGES if m.thread}:
        comments = [d for d in deliveries if d.payload["thread_title"] == title]
        for account in {d.target.account_id for d in comments}:
            here = [d.payload["author"]["id"] for d in comments if d.target.account_id == account]
            assert len(here) == len(set(here)), title
    # A reaction fits what it reacts to: no "me too!" under a compliment.
    reactions = {m.text for m in REACTIONS}
    for _n, reply in replies:
        if reply.text in reactions:
            parent = by_id[reply.payload["in_reply_to"]][1]
            assert parent.payload["in_reply_to"] is None
            assert parent.kind is not None
            assert reply.kind is simulate.REACTION_TO[parent.kind], (parent.text, reply.text)
    assert {d.target.organisation for d in deliveries} == {
        c.organisation for c in demo_cast.CHANNELS
    }
    # Flemish messages go to the Flemish government only.
    flemish = {m.text for m in MESSAGES if m.scope is Scope.FLEMISH}
    local = {m.text for m in MESSAGES if m.scope is Scope.LOCAL}
    for d in deliveries:
        if d.target.organisation == "vlaamse-overheid":
            assert d.text not in local
        else:
            assert d.text not in flemish


def test_the_same_seed_plays_the_same_messages() -> None:
    def texts(seed: int) -> list[tuple[str, str]]:
        return [(d.target.name, d.text) for d in play(seed, 40)]

    assert texts(3) == texts(3)
    assert texts(3) != texts(4)


# --- against a running Loket ----------------------------------------------------------------


@pytest.mark.usefixtures("transactional_db")
def test_simulating_against_a_live_server_stores_every_event_once(live_server: Any) -> None:
    demo_cast.seed()
    lines: list[str] = []
    pauses: list[float] = []
    simulator = simulate.Simulator(
        simulate.load_targets(),
        base_url=live_server.url,
        rate=30,
        seed=7,
        out=lines.append,
        sleep=pauses.append,
        duplicate_rate=0.3,
    )
    outcome = simulator.run(20)

    assert InboundEvent.objects.count() == 20
    assert InboundEvent.objects.values("account", "event_key").distinct().count() == 20
    assert outcome.sent == outcome.accepted == 20
    assert outcome.resent >= 1
    assert outcome.duplicates == outcome.resent
    assert len(lines) == 20 + outcome.resent
    assert sum(" 200 duplicate " in line for line in lines) == outcome.resent
    assert len(pauses) == 19
    assert all(1.0 <= pause <= 3.0 for pause in pauses)  # 2 s apart at 30 a minute, jittered


@pytest.mark.usefixtures("transactional_db")
def test_the_command_posts_to_one_organisation(live_server: Any) -> None:
    demo_cast.seed()
    out = io.StringIO()
    call_command(
        "demo",
        "simulate",
        "--url",
        live_server.url,
        "--org",
        "rivierdijk",
        "--count",
        "4",
        "--rate",
        "6000",
        "--seed",
        "2",
        stdout=out,
    )
    events = InboundEvent.objects.select_related("account__organisation")
    assert events.count() == 4
    assert {event.account.organisation.slug for event in events} == {"rivierdijk"}
    text = out.getvalue()
    assert "4 events sent: 4 accepted" in text
    assert "Website-chat Rivierdijk (demo)" in text or "Gemeente Rivierdijk (demo)" in text


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_server_is_said_in_one_line_with_exit_status_2(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = run_loket("demo", "simulate", "--url", url, env={"LOKET_DEMO": "1"}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert f"Loket does not answer at {url}" in result.stderr


def test_waiting_for_the_server_gives_up_after_the_wait() -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(simulate.Unreachable, match="connection refused"):
        simulate.wait_until_reachable(
            f"http://127.0.0.1:{closed_port()}", wait=5, sleep=sleep, clock=lambda: now[0]
        )
    assert now[0] >= 5


@pytest.mark.django_db
def test_an_organisation_without_demo_channels_is_refused() -> None:
    with pytest.raises(CommandError, match="no demo channels") as refused:
        call_command("demo", "simulate", "--org", "opgroeien", "--url", "http://127.0.0.1:9")
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_an_unseeded_database_is_said_plainly() -> None:
    with pytest.raises(simulate.SimulationError, match="loket demo seed"):
        simulate.load_targets()
