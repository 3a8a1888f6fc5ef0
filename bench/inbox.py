"""Inbox read times: the case list (first page and a deep page) and the case page at scale.

Bulk-inserts synthetic cases, conversations, contacts, messages (about 3 per case) and
history into a throw-away database, growing it to each size in turn, and times

- the inbox list through `inbox.selectors.cases_of` + `page_of` (50 rows): the first page and
  a deep page half-way down the list via the cursor, for a few common filters, and the
  capped count the view tabs use;
- the case page: `selectors.case_of` + `messages_of` + `history_of`, for random cases;
- the HTTP pages `/o/stad-voorbeeld/inbox/` and the case page, through Django's test client
  signed in as an agent, when those pages exist (they are skipped with a note on a 404); the
  inbox page and its tab counts (`inbox/counts/`, fetched by htmx after the page) each with
  the counts in the cache and with an empty cache;
- `intake.process_event` into the grown database (a new message on a busy profile).

The data: four demo organisations (70 % of the cases in Stad Voorbeeld, which is measured),
their profiles and teams, two years of cases; cases inactive for more than 30 days are nearly
all closed, recent ones spread over the open statuses; 60 % under public posts shared by many
cases, 40 % private chats; 30 % from returning citizens.

    .venv/bin/python bench/inbox.py [--sizes 10000,100000] [--database sqlite|postgres]
    .venv/bin/python bench/inbox.py --sizes 10000,100000,1000000 --database postgres

Targets of the issue: inbox p95 ≤ 100 ms at 1M messages, growing less than 1.5 times from
10k to 1M, for the list queries and for the HTTP inbox page. When a target is missed the bench
prints the query plan of the slowest list query.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import _support

PAGE = 50
TARGET_P95_MS = 100.0
TARGET_GROWTH = 1.5
SHARES = {"stad-voorbeeld": 0.70, "vlaamse-overheid": 0.15, "rivierdijk": 0.10, "heidebeek": 0.05}
MEASURED = "stad-voorbeeld"
WORDS = (
    "afval containerpark parkeerkaart identiteitskaart paspoort bibliotheek zwembad straatlamp "
    "fietspad subsidie bouwvergunning rijbewijs verhuis adreswijziging kinderopvang speelplein "
    "markt evenement wegenwerken omleiding riolering boom zitbank voetpad sluikstort belasting "
    "huisvuil glasbol compost snoeiafval sneeuw lawaai parking bus tram station school sporthal "
    "wanneer waarom hoe kan ik moet graag bedankt dringend kapot gevaarlijk vraag klacht melding"
).split()
OPEN_STATUSES = [
    ("new", 0.25),
    ("open", 0.30),
    ("waiting_on_citizen", 0.10),
    ("waiting_on_third_party", 0.05),
    ("answered", 0.10),
    ("closed", 0.20),
]


# ---------------------------------------------------------------------------------------
# Setting up Django on a throw-away database.


@contextlib.contextmanager
def database(kind: str) -> Iterator[str]:
    """Environment for Loket on a fresh SQLite file or PostgreSQL cluster; yields a label."""
    data_dir = tempfile.mkdtemp(prefix="loket-bench-inbox-")
    os.environ.update(
        {
            "LOKET_DEMO": "1",
            "LOKET_DATA_DIR": data_dir,
            "LOKET_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "loket.settings",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(_support.ROOT / "src"))
    try:
        if kind == "sqlite":
            yield "SQLite (WAL)"
            return
        with _support.postgres_cluster() as cluster:
            if cluster is None:
                raise SystemExit("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
            os.environ["DATABASE_URL"] = cluster.create_database("loket")
            yield "PostgreSQL (throw-away cluster, fsync off)"
    finally:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# Synthetic data, inserted in bulk.


class Generator:
    """Grows the inbox tables to a number of messages, keeping ids and counters consistent."""

    def __init__(self, seed: int = 7) -> None:
        from django.db import connection

        from loket.channels import selectors as channel_selectors
        from loket.channels import services as channel_services
        from loket.tenancy import selectors as tenancy_selectors

        self.connection = connection
        self.vendor = connection.vendor
        self.rng = random.Random(seed)  # noqa: S311 - repeatable test data
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.orgs: list[dict[str, Any]] = []
        for slug, share in SHARES.items():
            organisation = tenancy_selectors.organisation_by_slug(slug)
            assert organisation is not None, slug
            users = [m.user_id for m in tenancy_selectors.memberships_of(organisation) if m.user_id]
            accounts = [a.pk for a in channel_selectors.accounts_of(organisation)]
            while len(accounts) < 3:  # the demo cast may come without profiles
                account, _secret = channel_services.create_account(
                    organisation=organisation, connector="generic", name=f"Profiel {len(accounts)}"
                )
                accounts.append(account.pk)
            self.orgs.append(
                {
                    "slug": slug,
                    "id": organisation.pk,
                    "share": share,
                    "teams": [t.pk for t in tenancy_selectors.teams_of(organisation)],
                    "accounts": accounts,
                    "users": users,
                    "posts": {},  # account id -> (conversation id, cases under it)
                    "contacts": [],  # contact ids, for returning citizens
                    "number": self._last_number(organisation.pk),
                }
            )
        self.next_id = {table: self._max_id(table) + 1 for table in self.TABLES}
        self.messages = self._count("inbox_message")

    TABLES = (
        "inbox_case",
        "inbox_message",
        "inbox_conversation",
        "inbox_contact",
        "inbox_contactidentity",
        "inbox_caseevent",
        "inbox_case_conversations",
    )

    def _max_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT max(id) FROM "{table}"')  # noqa: S608 - our own table names
            return int(cursor.fetchone()[0] or 0)

    def _count(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
            return int(cursor.fetchone()[0])

    def _last_number(self, organisation_id: int) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT max(number) FROM inbox_case WHERE organisation_id = %s", [organisation_id]
            )
            return int(cursor.fetchone()[0] or 0)

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] += 1
        return value

    def _time(self, value: datetime) -> Any:
        # SQLite keeps Django's datetimes as naive UTC text; PostgreSQL takes them as they are.
        if self.vendor == "sqlite":
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        return value

    def grow_to(self, messages: int, chunk_cases: int = 20_000) -> None:
        from django.db import transaction

        # The pipeline may have added rows since the last call: continue after them.
        self.next_id = {table: self._max_id(table) + 1 for table in self.TABLES}
        for org in self.orgs:
            org["number"] = self._last_number(org["id"])
        while self.messages < messages:
            want = messages - self.messages
            cases = max(1, min(chunk_cases, want // 3 or 1))
            rows = self._chunk(cases, limit=want)
            with transaction.atomic():
                for table, (columns, values) in rows.items():
                    self._insert(table, columns, values)
        self._finish()

    def _chunk(self, cases: int, limit: int) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
        rng, now = self.rng, self.now
        out: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {
            "inbox_contact": (
                [
                    "id", "organisation_id", "display_name", "merged_into_id", "erased_at",
                    "created_at",
                ],
                [],
            ),
            "inbox_contactidentity": (
                ["id", "organisation_id", "contact_id", "scope", "external_id", "name"],
                [],
            ),
            "inbox_conversation": (
                [
                    "id", "organisation_id", "channel_account_id", "kind", "external_thread_id",
                    "title", "created_at", "last_message_at",
                ],
                [],
            ),
            "inbox_case": (
                [
                    "id", "organisation_id", "number", "subject", "status", "closing_reason",
                    "priority", "priority_rank", "team_id", "assignee_id", "contact_id",
                    "channel_account_id", "message_type", "topic", "language", "sentiment", "tags",
                    "merged_into_id", "created_at", "last_inbound_at", "last_activity_at",
                    "first_response_due", "first_responded_at", "resolution_due", "closed_at",
                ],
                [],
            ),
            "inbox_case_conversations": (["id", "case_id", "conversation_id"], []),
            "inbox_message": (
                [
                    "id", "organisation_id", "conversation_id", "channel_account_id", "case_id",
                    "direction", "visibility", "text", "attachments", "external_id",
                    "in_reply_to_external_id", "author_contact_id", "author_user_id",
                    "author_name", "platform_time", "received_at", "delivery_id", "language",
                    "message_type", "topic", "sentiment", "urgent", "personal_data",
                ],
                [],
            ),
            "inbox_caseevent": (
                ["id", "case_id", "kind", "actor_id", "actor_name", "at", "data"],
                [],
            ),
        }  # fmt: skip
        t = self._time
        weights = [org["share"] for org in self.orgs]
        made = 0
        for _ in range(cases):
            if made >= limit:
                break
            org = rng.choices(self.orgs, weights)[0]
            account = rng.choice(org["accounts"])
            created = now - timedelta(seconds=rng.randrange(730 * 86400))
            activity = min(now, created + timedelta(seconds=int(rng.expovariate(1 / 86400))))
            recent = now - activity < timedelta(days=30)
            status = (
                rng.choices([s for s, _ in OPEN_STATUSES], [w for _, w in OPEN_STATUSES])[0]
                if recent
                else ("closed" if rng.random() < 0.97 else "waiting_on_third_party")
            )
            # The citizen: new, or one who wrote before.
            if org["contacts"] and rng.random() < 0.3:
                contact = rng.choice(org["contacts"])
            else:
                contact = self._id("inbox_contact")
                name = f"Burger {contact}"
                out["inbox_contact"][1].append((contact, org["id"], name, None, None, t(created)))
                out["inbox_contactidentity"][1].append(
                    (self._id("inbox_contactidentity"), org["id"], contact, "generic",
                     f"c{contact}", name)
                )  # fmt: skip
                org["contacts"].append(contact)
            # The conversation: a public post shared by ~15 cases, or a private chat.
            public = rng.random() < 0.6
            post = org["posts"].get(account)
            if public and post is not None and post[1] < 15:
                conversation = post[0]
                org["posts"][account] = (conversation, post[1] + 1)
            else:
                conversation = self._id("inbox_conversation")
                out["inbox_conversation"][1].append(
                    (conversation, org["id"], account, "public_thread" if public else "private",
                     f"t{conversation}", f"Bericht {conversation}" if public else "",
                     t(created), t(activity))
                )  # fmt: skip
                if public:
                    org["posts"][account] = (conversation, 1)
            case = self._id("inbox_case")
            org["number"] += 1
            words = rng.sample(WORDS, 8)
            closed = status == "closed"
            answered = closed or status in {"answered", "waiting_on_citizen"}
            priority = "urgent" if rng.random() < 0.03 else "normal"
            out["inbox_case"][1].append(
                (case, org["id"], org["number"], " ".join(words[:6]).capitalize(), status,
                 "resolved" if closed else "", priority, 3 if priority == "urgent" else 1,
                 rng.choice(org["teams"]) if org["teams"] else None,
                 rng.choice(org["users"]) if org["users"] and rng.random() < 0.6 else None,
                 contact, account, rng.choice(["question", "complaint", "report", "praise"]),
                 rng.choice(["afval", "mobiliteit", "burgerzaken", "", ""]),
                 rng.choices(["nl", "fr", "en"], [90, 7, 3])[0],
                 rng.choice(["neutral", "negative", "positive"]), "[]", None, t(created),
                 t(created), t(activity), t(created + timedelta(hours=24)),
                 t(activity) if answered else None, None, t(activity) if closed else None)
            )  # fmt: skip
            out["inbox_case_conversations"][1].append(
                (self._id("inbox_case_conversations"), case, conversation)
            )
            count = min(limit - made, rng.choice([1, 2, 3, 3, 4, 5]))
            made += count
            events = [
                (self._id("inbox_caseevent"), case, "created", None, "", t(created), "{}"),
                (self._id("inbox_caseevent"), case, "triaged", None, "", t(created), "{}"),
            ]
            span = max(1, int((activity - created).total_seconds()))
            for k in range(count):
                message = self._id("inbox_message")
                at = created + timedelta(seconds=0 if k == 0 else rng.randrange(span))
                inbound = k % 2 == 0 or not org["users"]
                text = " ".join(rng.sample(WORDS, rng.randrange(6, 25)))
                out["inbox_message"][1].append(
                    (message, org["id"], conversation, account, case,
                     "inbound" if inbound else "outbound", "public" if public else "private",
                     text, "[]", f"m{message}" if inbound else "", "", contact if inbound else None,
                     None if inbound else rng.choice(org["users"]),
                     f"Burger {contact}" if inbound else "Loket", t(at), t(at), None, "nl",
                     "question", "", "neutral", False, "[]")
                )  # fmt: skip
                if k:
                    events.append(
                        (self._id("inbox_caseevent"), case, "message" if inbound else "replied",
                         None, "", t(at), json.dumps({"message": message}))
                    )  # fmt: skip
            if status != "new":
                events.append(
                    (self._id("inbox_caseevent"), case, "status_changed", None, "", t(activity),
                     json.dumps({"to": status}))
                )  # fmt: skip
            out["inbox_caseevent"][1].extend(events)
        self.messages += made
        return out

    def _insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        raw = self.connection.connection
        if self.vendor == "sqlite":
            marks = ", ".join("?" * len(columns))
            raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608
            return
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for values in rows:
                copy.write_row(values)

    def _finish(self) -> None:
        """Counters and sequences continue after the generated rows; statistics are fresh."""
        from django.db import transaction

        with transaction.atomic(), self.connection.cursor() as cursor:
            for org in self.orgs:
                cursor.execute(
                    "UPDATE inbox_casecounter SET last_number = %s WHERE organisation_id = %s",
                    [org["number"], org["id"]],
                )
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO inbox_casecounter (organisation_id, last_number) "
                        "VALUES (%s, %s)",
                        [org["id"], org["number"]],
                    )
            if self.vendor == "postgresql":
                for table in self.TABLES:
                    sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
                    highest = f'SELECT max(id) FROM "{table}"'  # noqa: S608 - our own names
                    cursor.execute(f"SELECT setval({sequence}, ({highest}))")
        with self.connection.cursor() as cursor:
            # PostgreSQL's autovacuum would analyse after such a load; SQLite: see --analyze.
            if self.vendor == "postgresql":
                cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------------------
# Measuring.


def timings(run: Callable[[], Any], rounds: int, warm: int = 3) -> list[float]:
    for _ in range(warm):
        run()
    out = []
    for _ in range(rounds):
        began = time.perf_counter()
        run()
        out.append((time.perf_counter() - began) * 1000)
    return out


def cursor_after(case: Any) -> str:
    """The cursor `page_of` hands out after this case (its documented shape: last row seen)."""
    raw = json.dumps([case.last_activity_at.isoformat(), case.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def captured_sql(run: Callable[[], Any]) -> list[tuple[str, Any]]:
    from django.db import connection

    seen: list[tuple[str, Any]] = []

    def wrap(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrap):
        run()
    return seen


def explain(run: Callable[[], Any]) -> str:
    from django.db import connection

    lines = []
    for sql, params in captured_sql(run):
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            plan = [str(row[-1]) for row in cursor.fetchall()]
        lines.append("  " + sql[:300] + (" …" if len(sql) > 300 else ""))
        lines += ["    " + line for line in plan]
    return "\n".join(lines)


class Bench:
    def __init__(self, rounds: int) -> None:
        from django.test import Client

        from loket.tenancy import selectors as tenancy_selectors

        self.rounds = rounds
        organisation = tenancy_selectors.organisation_by_slug(MEASURED)
        assert organisation is not None
        self.organisation = organisation
        agent = tenancy_selectors.user_by_username_or_email("anna")
        assert agent is not None
        self.agent = agent
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(agent)
        self.notes: set[str] = set()
        self.slowest: tuple[float, str, Callable[[], Any]] | None = None

    def filters(self) -> list[tuple[str, Any]]:
        from loket.inbox.selectors import CaseFilter
        from loket.tenancy import selectors as tenancy_selectors

        team = tenancy_selectors.teams_of(self.organisation).order_by("pk").first()
        return [
            ("active (default)", CaseFilter()),
            ("all statuses", CaseFilter(status="all")),
            ("status new", CaseFilter(status="new")),
            ("team, active", CaseFilter(team=team.pk if team else None)),
            ("unassigned, active", CaseFilter(assignee="none")),
        ]

    def inbox(self) -> list[list[Any]]:
        from loket.inbox import selectors

        rows = []
        for label, case_filter in self.filters():
            cases = selectors.cases_of(self.organisation, case_filter, user=self.agent)
            listed = selectors.count(cases, cap=10**9)
            first = timings(lambda c=cases: selectors.page_of(c, limit=PAGE), self.rounds)
            rows.append(self._row(f"list {label}: first page", listed, first))
            self._remember(
                first, f"list {label}: first page", lambda c=cases: selectors.page_of(c, limit=PAGE)
            )
            if listed > 2 * PAGE:
                middle = cases.order_by("-last_activity_at", "-id")[listed // 2]
                cursor = cursor_after(middle)

                def deep(c: Any = cases, k: str = cursor) -> Any:
                    return selectors.page_of(c, limit=PAGE, cursor=k)

                assert deep().items, "the cursor must find rows"
                deep_times = timings(deep, self.rounds)
                rows.append(self._row(f"list {label}: page half-way down", listed, deep_times))
                self._remember(deep_times, f"list {label}: deep page", deep)
            if label == "active (default)":
                counted = timings(lambda c=cases: selectors.count(c), self.rounds)
                rows.append(self._row("count for a tab (capped at 1000)", listed, counted))
        return rows

    def case_page(self) -> list[list[Any]]:
        from loket.inbox import selectors
        from loket.inbox.models import Case

        numbers = list(
            Case.objects.filter(organisation=self.organisation).values_list("number", flat=True)
        )
        rng = random.Random(3)  # noqa: S311
        sample = [rng.choice(numbers) for _ in range(self.rounds + 3)]
        picks = iter(sample)

        def show() -> None:
            case = selectors.case_of(self.organisation, next(picks))
            assert case is not None
            list(selectors.messages_of(case))
            list(selectors.history_of(case))

        rows = [
            self._row(
                "case page: case_of + messages_of + history_of",
                len(numbers),
                timings(show, self.rounds),
            )
        ]
        http = self.http_pages(sample)
        return rows + http

    def http_pages(self, numbers: list[int]) -> list[list[Any]]:
        rows = []
        inbox_url = f"/o/{MEASURED}/inbox/"
        response = self.client.get(inbox_url)
        if response.status_code == 404:
            self.notes.add(f"HTTP inbox page {inbox_url} answers 404: not built yet, skipped")
        elif response.status_code != 200:
            self.notes.add(f"HTTP inbox page {inbox_url} answers {response.status_code}, skipped")
        else:
            rows += self.inbox_page_and_counts(inbox_url)
        candidates = [f"/o/{MEASURED}/inbox/{{}}/", f"/o/{MEASURED}/cases/{{}}/"]
        for pattern in candidates:
            if self.client.get(pattern.format(numbers[0])).status_code == 200:
                picks = iter(numbers * 2)
                got = timings(
                    lambda p=pattern, k=picks: self.client.get(p.format(next(k))), self.rounds
                )
                rows.append(self._row(f"HTTP GET {pattern.format('<number>')}", None, got))
                break
        else:
            tried = ", ".join(p.format("<number>") for p in candidates)
            self.notes.add(f"HTTP case page not found at {tried}: skipped")
        return rows

    def inbox_page_and_counts(self, inbox_url: str) -> list[list[Any]]:
        """The page, and the tab counts htmx fetches after it (and on every refresh): each
        with its counts cached (their ~30 s in the cache) and with nothing cached."""
        from django.core.cache import cache

        counts_url = f"{inbox_url}counts/"

        def cold(url: str) -> Callable[[], Any]:
            return lambda: (cache.clear(), self.client.get(url))

        rows = [
            self._row(
                f"HTTP GET {inbox_url} (test client), counts cached",
                None,
                timings(lambda: self.client.get(inbox_url), self.rounds),
            ),
            self._row(
                f"HTTP GET {inbox_url}, nothing cached",
                None,
                timings(cold(inbox_url), self.rounds),
            ),
        ]
        if self.client.get(counts_url).status_code != 200:
            self.notes.add(f"HTTP tab counts {counts_url} not found: skipped")
            return rows
        return [
            *rows,
            self._row(
                f"HTTP GET {counts_url}, counts cached",
                None,
                timings(lambda: self.client.get(counts_url), self.rounds),
            ),
            self._row(
                f"HTTP GET {counts_url}, every tab counted",
                None,
                timings(cold(counts_url), self.rounds),
            ),
        ]

    def intake(self, events: int = 30) -> list[list[Any]]:
        """New messages on a busy profile of the grown database, through the whole pipeline."""
        from loket.channels import selectors as channel_selectors
        from loket.channels import services as channel_services
        from loket.channels.connectors.generic.signing import sign
        from loket.channels.models import InboundEvent
        from loket.inbox import intake

        account = channel_selectors.accounts_of(self.organisation).order_by("pk").first()
        assert account is not None
        secret = channel_services.account_secret(account)
        stamp = time.time_ns()
        rng = random.Random(stamp)  # noqa: S311
        ids = []
        for n in range(events):
            body = json.dumps(
                {
                    "event_id": f"bench-{stamp}-{n}",
                    "thread_id": f"bench-{stamp}-{n % 5}",
                    "visibility": "public",
                    "author": {"id": f"bench-citizen-{n}", "name": "Bench"},
                    "text": " ".join(rng.sample(WORDS, 8)),
                    "created_at": datetime.now(UTC).isoformat(),
                    "in_reply_to": None,
                }
            ).encode()
            channel_services.receive(
                account=account, headers={"X-Loket-Signature": sign(body, secret)}, body=body
            )
            ids.append(InboundEvent.objects.get(account=account, event_key=f"bench-{stamp}-{n}").pk)
        picks = iter(ids)
        got = timings(lambda: intake.process_event(next(picks)), events - 3, warm=3)
        return [self._row("intake.process_event on a busy profile", None, got)]

    def _remember(self, values: list[float], label: str, run: Callable[[], Any]) -> None:
        p95 = _support.percentile(values, 0.95)
        if self.slowest is None or p95 > self.slowest[0]:
            self.slowest = (p95, label, run)

    @staticmethod
    def _row(label: str, rows: int | None, values: list[float]) -> list[Any]:
        return [label, rows, _support.percentile(values, 0.5), _support.percentile(values, 0.95)]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="messages, comma-separated")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=30, help="timed repetitions per query")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE on SQLite after loading (Loket does not)",
    )
    parser.add_argument("--explain", action="store_true", help="always print the slowest plan")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    with database(args.database) as label:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from loket.cli import demo_cast

        call_command("migrate", verbosity=0)
        demo_cast.seed()
        print(f"inbox on {label}, sizes {', '.join(f'{s:,}' for s in sizes)} messages", flush=True)
        generator = Generator()
        results: dict[int, list[list[Any]]] = {}
        slowest: dict[int, tuple[float, str, Callable[[], Any]]] = {}
        bench: Bench | None = None
        for size in sizes:
            began = time.perf_counter()
            generator.grow_to(size)
            if args.analyze and connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            grown = time.perf_counter() - began
            counts = {
                table: generator._count(table)
                for table in (
                    "inbox_message",
                    "inbox_case",
                    "inbox_conversation",
                    "inbox_caseevent",
                )
            }
            print(
                f"  {size:,} messages: generated in {grown:.1f} s "
                f"({', '.join(f'{t.removeprefix("inbox_")} {n:,}' for t, n in counts.items())})",
                flush=True,
            )
            bench = Bench(args.rounds)
            rows = bench.inbox() + bench.case_page() + bench.intake()
            results[size] = rows
            if bench.slowest:
                slowest[size] = bench.slowest
        assert bench is not None
        print()
        headers = [
            "query (Stad Voorbeeld, 50 rows a page)",
            "rows",
            *(f"{s:,}: p50 / p95 ms" for s in sizes),
        ]
        labels = list(dict.fromkeys(r[0] for size in sizes[::-1] for r in results[size]))
        by_label = {size: {r[0]: r for r in results[size]} for size in sizes}
        table_rows = []
        for name in labels:
            last = by_label[sizes[-1]].get(name)
            line = [name, last[1] if last else None]
            for size in sizes:
                r = by_label[size].get(name)
                line.append(f"{r[2]:.1f} / {r[3]:.1f}" if r else "-")
            table_rows.append(line)
        print(_support.table(headers, table_rows))
        for note in sorted(bench.notes):
            print(f"note: {note}")
        verdict(results, sizes, slowest, args.explain)
    return 0


def verdict(
    results: dict[int, list[list[Any]]],
    sizes: list[int],
    slowest: dict[int, tuple[float, str, Callable[[], Any]]],
    always_explain: bool,
) -> None:
    largest, smallest = sizes[-1], sizes[0]
    page = f"HTTP GET /o/{MEASURED}/inbox/ "
    big = {r[0]: r for r in results[largest] if str(r[0]).startswith(("list ", page))}
    small = {r[0]: r for r in results[smallest]}
    worst = max(big.values(), key=lambda r: r[3])
    p95 = worst[3]
    print(
        f"\nworst inbox list or page p95 at {largest:,} messages: {p95:.1f} ms ({worst[0]}); "
        f"target ≤ {TARGET_P95_MS:.0f} ms: {'met' if p95 <= TARGET_P95_MS else 'MISSED'}"
    )
    missed = p95 > TARGET_P95_MS
    if largest > smallest:
        growth = [
            (row[3] / max(small[name][3], 0.01), name) for name, row in big.items() if name in small
        ]
        factor, which = max(growth)
        ok = factor < TARGET_GROWTH
        missed = missed or not ok
        print(
            f"largest growth of a list or page p95 from {smallest:,} to {largest:,}: {factor:.2f}× "
            f"({which}); target < {TARGET_GROWTH}×: {'met' if ok else 'MISSED'}"
        )
    if (missed or always_explain) and largest in slowest:
        _p95, label, run = slowest[largest]
        print(f"\nplan of the slowest list query at {largest:,} messages ({label}):")
        print(explain(run))


if __name__ == "__main__":
    sys.exit(main())
