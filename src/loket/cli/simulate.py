"""`loket demo simulate`: citizens writing to the demo channels, live, over HTTP.

Signed events go through the generic webhook of the running Loket exactly as a platform would
send them, so the demo inbox fills while you watch. The messages come from `demo_messages`;
a seeded random generator picks them, with fictional authors. Public comments land under a
handful of posts per organisation (several citizens under the same post, some asking the same
thing); private messages get one thread per citizen and channel, with the citizen's follow-ups
replying to their earlier message. Now and then an event is sent twice, as platforms do when
they retry, and the webhook answers "duplicate".

The simulator reads the demo accounts and their secrets from the database, so it must use the
same database as the server (the same LOKET_DATA_DIR or DATABASE_URL).
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.text import slugify

from loket.channels import selectors as channel_selectors
from loket.channels import services as channel_services
from loket.channels.connectors.generic.connector import SIGNATURE_HEADER
from loket.channels.connectors.generic.signing import sign
from loket.channels.contracts import Visibility
from loket.cli import demo_cast
from loket.cli.demo_messages import (
    AUTHORS,
    GENERAL_POSTS,
    MESSAGES,
    REACTIONS,
    DemoMessage,
    Scope,
    render,
)
from loket.kernel.crypto import DecryptionError
from loket.tenancy import selectors as tenancy_selectors
from loket.triage.contracts import MessageType

DEFAULT_RATE = 6.0  # events per minute
BACKGROUND_RATE = 4.0  # what `loket demo` runs alongside the server
DUPLICATE_RATE = 0.06  # share of events sent a second time, as a platform retry
REACTION_RATE = 0.15  # share of public comments that another citizen replies to
TIMEOUT = 10.0  # seconds per request
# Bigger organisations hear from more citizens.
ORGANISATION_WEIGHTS = {"stad-voorbeeld": 5, "vlaamse-overheid": 3, "rivierdijk": 2}
# Which kind of reaction fits under which kind of comment ("me too" under a report…).
REACTION_TO = {
    MessageType.QUESTION: MessageType.QUESTION,
    MessageType.COMPLAINT: MessageType.COMPLAINT,
    MessageType.REPORT: MessageType.COMPLAINT,
    MessageType.OPINION: MessageType.OPINION,
    MessageType.COMPLIMENT: MessageType.COMPLIMENT,
}


class SimulationError(Exception):
    """Something that stops the simulator before or while it runs; said in one line."""


class Unreachable(SimulationError):
    pass


@dataclass(frozen=True)
class Target:
    """A demo channel account the simulator can post to, with its secret."""

    organisation: str
    place: str
    scope: Scope
    account_id: str
    name: str
    secret: str
    visibilities: tuple[Visibility, ...]


@dataclass(frozen=True)
class Citizen:
    id: str
    name: str


@dataclass(frozen=True)
class Delivery:
    target: Target
    payload: dict[str, Any]
    kind: MessageType | None = None  # what the corpus meant it to be

    @property
    def text(self) -> str:
        return str(self.payload["text"])

    @property
    def body(self) -> bytes:
        return json.dumps(self.payload, ensure_ascii=False).encode()


@dataclass
class Outcome:
    sent: int = 0  # new events
    accepted: int = 0
    failed: int = 0
    resent: int = 0  # deliberate second deliveries
    duplicates: int = 0  # of those, answered "duplicate"

    def summary(self) -> str:
        return (
            f"{self.sent} events sent: {self.accepted} accepted, {self.failed} failed; "
            f"{self.resent} sent twice, {self.duplicates} of them answered duplicate."
        )


def default_url() -> str:
    host = settings.LOKET_HOST
    if host in {"", "0.0.0.0"}:  # noqa: S104 - a bind address, here turned into a target
        host = "127.0.0.1"
    elif host == "::":
        host = "[::1]"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.LOKET_PORT}"


def channels_of(organisation: str | None = None) -> list[demo_cast.DemoChannel]:
    """The demo channels (of one organisation, if given); says so when there are none."""
    channels = [c for c in demo_cast.CHANNELS if organisation in (None, c.organisation)]
    if not channels:
        having = sorted({c.organisation for c in demo_cast.CHANNELS})
        raise SimulationError(
            f"{organisation!r} has no demo channels; choose one of: {', '.join(having)}"
        )
    return channels


def load_targets(organisation: str | None = None) -> list[Target]:
    """The demo channel accounts in this database (of one organisation, if given)."""
    channels = channels_of(organisation)
    cast = {item.slug: item for item in demo_cast.ORGANISATIONS}
    targets = []
    try:
        for channel in channels:
            owner = tenancy_selectors.organisation_by_slug(channel.organisation)
            if owner is None:
                continue
            account = (
                channel_selectors.accounts_of(owner)
                .filter(name=channel.name, connector="generic", is_active=True)
                .first()
            )
            if account is None:
                continue
            demo_organisation = cast[channel.organisation]
            targets.append(
                Target(
                    organisation=channel.organisation,
                    place=demo_organisation.place or demo_organisation.name,
                    scope=Scope.LOCAL
                    if demo_organisation.kind == "municipality"
                    else Scope.FLEMISH,
                    account_id=str(account.public_id),
                    name=account.name,
                    secret=channel_services.account_secret(account),
                    visibilities=channel.visibilities,
                )
            )
    except DatabaseError:
        targets = []
    except DecryptionError:
        raise SimulationError(
            "the demo accounts' secrets cannot be decrypted: this command must run with the "
            "same LOKET_SECRET_KEY / LOKET_ENCRYPTION_KEYS as the server"
        ) from None
    if not targets:
        raise SimulationError(
            "no demo channel accounts in this database: run `loket demo` or `loket demo seed` "
            "first, with the same LOKET_DATA_DIR (or DATABASE_URL) as the server"
        )
    return targets


def event_payload(
    *,
    event_id: str,
    thread_id: str,
    thread_title: str,
    visibility: Visibility,
    author: Citizen,
    text: str,
    in_reply_to: str | None,
) -> dict[str, Any]:
    """One generic webhook event, stamped now."""
    return {
        "event_id": event_id,
        "thread_id": thread_id,
        "thread_title": thread_title,
        "visibility": visibility.value,
        "author": {"id": author.id, "name": author.name},
        "text": text,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "in_reply_to": in_reply_to,
    }


def citizen(name: str) -> Citizen:
    return Citizen(id=f"demo-{slugify(name)}", name=name)


@dataclass
class _Later:
    """A message scheduled for a later step: a thread comment, reaction or follow-up."""

    due: int
    target: Target
    author: Citizen
    thread_id: str
    thread_title: str
    visibility: Visibility
    language: str
    text: str
    in_reply_to: str | None = None
    follow_ups: tuple[str, ...] = ()
    kind: MessageType | None = None  # what the corpus meant it to be


@dataclass
class Script:
    """Decides what happens next; no network, no clock but the event's own timestamp."""

    targets: list[Target]
    rng: random.Random
    run_id: str
    step: int = 0
    sequence: int = 0
    later: list[_Later] = field(default_factory=list)
    posts: dict[tuple[str, str], tuple[Target, str]] = field(default_factory=dict)
    bags: dict[str, list[tuple[DemoMessage, ...]]] = field(default_factory=dict)
    # Who commented under which post, so that each comment there has its own author.
    commenters: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.organisations = sorted({t.organisation for t in self.targets})
        self.weights = [ORGANISATION_WEIGHTS.get(slug, 1) for slug in self.organisations]

    def next(self) -> Delivery:
        self.step += 1
        due = [item for item in self.later if item.due <= self.step]
        if due:
            return self._send_later(min(due, key=lambda item: item.due))
        organisation = self.rng.choices(self.organisations, self.weights)[0]
        return self._start(organisation, self._next_unit(organisation))

    # --- what to send -------------------------------------------------------------------

    def _next_unit(self, organisation: str) -> tuple[DemoMessage, ...]:
        """A message on its own, or all comments of one thread; each once per round."""
        if not self.bags.get(organisation):
            scope = self._of(organisation)[0].scope
            mine = [m for m in MESSAGES if m.scope is scope]
            units: list[tuple[DemoMessage, ...]] = [(m,) for m in mine if not m.thread]
            for title in dict.fromkeys(m.thread for m in mine if m.thread):
                units.append(tuple(m for m in mine if m.thread == title))
            self.rng.shuffle(units)
            self.bags[organisation] = units
        return self.bags[organisation].pop()

    def _start(self, organisation: str, unit: tuple[DemoMessage, ...]) -> Delivery:
        first, *rest = unit
        if first.visibility is Visibility.PRIVATE:
            mine = self._of(organisation)
            target = self.rng.choice(
                [t for t in mine if first.visibility in t.visibilities] or mine
            )
            author = self._author(first.language)
            title, thread_id = "", f"chat-{author.id}"
        else:
            if first.thread:
                title = first.thread
            else:  # a comment under one of the organisation's everyday posts
                some = self._of(organisation)[0]
                general = self.rng.choice(GENERAL_POSTS[some.scope])
                title = render(general, place=some.place, rng=self.rng)
            target, thread_id = self._post(organisation, title)
            author = self._author(first.language, under=(target.account_id, thread_id))
        due = self.step
        for item in rest:  # the other comments under the post, spread over the next steps
            due += self.rng.randint(1, 4)
            self.later.append(
                _Later(
                    due=due,
                    target=target,
                    author=self._author(item.language, under=(target.account_id, thread_id)),
                    thread_id=thread_id,
                    thread_title=title,
                    visibility=item.visibility,
                    language=item.language,
                    text=item.text,
                    kind=item.intended_type,
                )
            )
        delivery = self._deliver(
            _Later(
                due=self.step,
                target=target,
                author=author,
                thread_id=thread_id,
                thread_title=title,
                visibility=first.visibility,
                language=first.language,
                text=first.text,
                follow_ups=first.follow_ups,
                kind=first.intended_type,
            )
        )
        return delivery

    def _send_later(self, item: _Later) -> Delivery:
        self.later.remove(item)
        return self._deliver(item)

    def _deliver(self, item: _Later) -> Delivery:
        self.sequence += 1
        payload = event_payload(
            event_id=f"sim-{self.run_id}-{self.sequence:05d}",
            thread_id=item.thread_id,
            thread_title=item.thread_title,
            visibility=item.visibility,
            author=item.author,
            text=render(item.text, place=item.target.place, rng=self.rng),
            in_reply_to=item.in_reply_to,
        )
        delivery = Delivery(target=item.target, payload=payload, kind=item.kind)
        if item.follow_ups:
            self._follow_up(delivery, item)
        # Now and then another citizen answers a public comment (not an answer itself).
        top_level = item.visibility is Visibility.PUBLIC and item.in_reply_to is None
        if top_level and item.kind in REACTION_TO and self.rng.random() < REACTION_RATE:
            self._react(delivery, REACTION_TO[item.kind])
        return delivery

    def _follow_up(self, after: Delivery, item: _Later) -> None:
        """The same citizen writes again in the same conversation, replying to themselves."""
        self.later.append(
            _Later(
                due=self.step + self.rng.randint(2, 6),
                target=item.target,
                author=item.author,
                thread_id=item.thread_id,
                thread_title=item.thread_title,
                visibility=item.visibility,
                language=item.language,
                text=item.follow_ups[0],
                in_reply_to=after.payload["event_id"],
                follow_ups=item.follow_ups[1:],
            )
        )

    def _react(self, to: Delivery, kind: MessageType) -> None:
        """Another citizen replies to a public comment."""
        reaction = self.rng.choice([r for r in REACTIONS if r.intended_type is kind])
        post = (to.target.account_id, to.payload["thread_id"])
        self.later.append(
            _Later(
                due=self.step + self.rng.randint(1, 4),
                target=to.target,
                author=self._author(reaction.language, under=post),
                thread_id=to.payload["thread_id"],
                thread_title=to.payload["thread_title"],
                visibility=Visibility.PUBLIC,
                language=reaction.language,
                text=reaction.text,
                in_reply_to=to.payload["event_id"],
                kind=reaction.intended_type,
            )
        )

    # --- who and where ------------------------------------------------------------------

    def _of(self, organisation: str) -> list[Target]:
        return [t for t in self.targets if t.organisation == organisation]

    def _post(self, organisation: str, title: str) -> tuple[Target, str]:
        """The page a post is on and its thread id: chosen once, then shared by comments."""
        key = (organisation, title)
        if key not in self.posts:
            mine = self._of(organisation)
            public = [t for t in mine if Visibility.PUBLIC in t.visibilities]
            self.posts[key] = (self.rng.choice(public or mine), f"post-{slugify(title)[:80]}")
        return self.posts[key]

    def _author(self, language: str, under: tuple[str, str] | None = None) -> Citizen:
        """A citizen writing in `language`; under a post, one who has not commented there yet.

        (The intake rightly joins one citizen's comments under a post into one case.)
        """
        names = AUTHORS.get(language, AUTHORS["nl"])
        if under is None:
            return citizen(self.rng.choice(names))
        taken = self.commenters.setdefault(under, set())
        name = self.rng.choice([n for n in names if n not in taken] or names)
        taken.add(name)
        return citizen(name)


class Simulator:
    """Posts the script's events to a running Loket at a steady pace and reports each one."""

    def __init__(
        self,
        targets: list[Target],
        *,
        base_url: str,
        rate: float = DEFAULT_RATE,
        seed: int | None = None,
        out: Callable[[str], None] = print,
        sleep: Callable[[float], None] = time.sleep,
        duplicate_rate: float = DUPLICATE_RATE,
        session: requests.Session | None = None,
    ) -> None:
        if rate <= 0:
            raise SimulationError("the rate must be above 0 events per minute")
        self.base_url = base_url.rstrip("/")
        self.interval = 60.0 / rate
        self.rng = random.Random(seed)  # noqa: S311 - picks demo messages, not secrets
        self.script = Script(targets, rng=self.rng, run_id=secrets.token_hex(4))
        self.out = out
        self.sleep = sleep
        self.duplicate_rate = duplicate_rate
        self.http = session or requests.Session()
        self.outcome = Outcome()
        self._hinted = False

    def run(self, count: int | None = None) -> Outcome:
        """Send `count` new events (or until interrupted); raises Unreachable."""
        while count is None or self.outcome.sent < count:
            if self.outcome.sent:
                self.sleep(self.interval * self.rng.uniform(0.5, 1.5))
            self.send(self.script.next())
        return self.outcome

    def send(self, delivery: Delivery) -> None:
        body = delivery.body
        status, verdict = self._post(delivery, body)
        self.outcome.sent += 1
        if verdict == "accepted":
            self.outcome.accepted += 1
        else:
            self.outcome.failed += 1
        self.out(self._line(self.outcome.sent, status, verdict, delivery))
        if status == 404 and not self._hinted:
            self._hinted = True
            self.out(
                "      hint: the server does not know this account; does it use the same "
                "database (LOKET_DATA_DIR or DATABASE_URL) as this command?"
            )
        if verdict == "accepted" and self.rng.random() < self.duplicate_rate:
            status, verdict = self._post(delivery, body)  # the same bytes: a platform retry
            self.outcome.resent += 1
            self.outcome.duplicates += verdict == "duplicate"
            self.out(self._line(self.outcome.sent, status, verdict, delivery, note=" (again)"))

    def _post(self, delivery: Delivery, body: bytes) -> tuple[int | None, str]:
        url = f"{self.base_url}/hooks/generic/{delivery.target.account_id}"
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, delivery.target.secret),
        }
        try:
            response = self.http.post(url, data=body, headers=headers, timeout=TIMEOUT)
        except requests.ConnectionError as error:
            raise Unreachable(unreachable_message(self.base_url, error)) from None
        except requests.Timeout:
            return None, "timeout"
        try:
            answer = response.json()
        except ValueError:
            return response.status_code, response.reason or "not JSON"
        if not isinstance(answer, dict):
            return response.status_code, "unexpected answer"
        return response.status_code, str(answer.get("status") or answer.get("error") or "")

    @staticmethod
    def _line(
        number: int, status: int | None, verdict: str, delivery: Delivery, note: str = ""
    ) -> str:
        words = delivery.text.split()
        preview = " ".join(words[:9]) + (" …" if len(words) > 9 else "")
        kind = "reply" if delivery.payload["in_reply_to"] else delivery.payload["visibility"]
        return (
            f"{number:>5} {status or '---'} {verdict:<9} {delivery.target.name}"
            f" [{kind}{note}] {preview}"
        )


def unreachable_message(base_url: str, error: Exception | None = None) -> str:
    reason = "connection refused" if error and "refused" in str(error).lower() else "no answer"
    return (
        f"Loket does not answer at {base_url} ({reason}); start it with `loket demo` "
        "or give its address with --url"
    )


def wait_until_reachable(
    base_url: str,
    *,
    wait: float = 0.0,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Return once the server answers at all (any status); raise Unreachable after `wait` s."""
    http = session or requests.Session()
    deadline = clock() + wait
    while True:
        try:
            http.get(f"{base_url.rstrip('/')}/healthz", timeout=5)
            return
        except requests.ConnectionError as error:
            if clock() >= deadline:
                raise Unreachable(unreachable_message(base_url, error)) from None
        except requests.Timeout:
            return  # it accepted the connection; it is just busy
        sleep(1.0)
