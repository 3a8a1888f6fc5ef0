"""Intake at scale, end to end, with real processes: the acceptance test of the intake issue.

"A test posts 1,000 events (100 of them duplicates, 50 with bad signatures, some out of order)
and finds exactly the 900 distinct valid messages, in the right conversations, after killing
and restarting the worker midway."

The numbers only add up one way: 1,000 correctly signed deliveries (900 distinct events plus
100 repeated deliveries of them) and 50 deliveries with a bad signature on top, 1,050 posts
in all. The bad ones are forgeries of new event ids and tampered copies of real events; none
of them may leave a trace.

`loket serve` (gunicorn) and `loket worker` run as subprocesses on a throw-away SQLite data
directory; a few client threads post over HTTP on loopback. When about half of the events are
processed, the worker is frozen while it holds a claimed task and killed with SIGKILL, and a
new worker is started. The drain task of the killed worker stays "RUNNING" in django-tasks-db
forever (nothing resets it), and the events it would have processed stay "pending" with no task
waiting for them; the new worker's recovery sweep (`--recover-after 3` here, two minutes by
default) wakes the intake again, and the test waits for the last event and checks the database.
"""

from __future__ import annotations

import collections
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from loket.channels.connectors.generic.signing import sign

TASK = "loket.inbox.tasks.drain_inbound_events"
# Runs `loket ARGS` so that it is killed when the test process dies, even when pytest itself is
# killed and no `finally` runs (Linux: PR_SET_PDEATHSIG survives the exec).
DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "try:\n"
    "    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)\n"
    "except (OSError, AttributeError):\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit(1)\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'loket.cli.main', *sys.argv[2:]])\n"
)
DISTINCT = 900
DUPLICATES = 100
BAD_SIGNATURES = 50
THREADS = 50
CLIENTS = 6
SEED = 20261128
KILL_AFTER_PROCESSED = DISTINCT // 2
TIMEOUT = 45.0  # seconds for the whole processing, well within the test's budget


# ---------------------------------------------------------------------------------------
# The events: 50 conversations, replies, some posted before their parent.


@dataclass(frozen=True)
class Delivery:
    kind: str  # "first", "duplicate" or "bad"
    event_id: str
    body: bytes
    signature: str | None


@dataclass
class Plan:
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    forged_ids: set[str] = field(default_factory=set)
    tampered_marker: str = "GEMANIPULEERD"


def _events() -> dict[str, dict[str, Any]]:
    rng = random.Random(SEED)  # noqa: S311 - a fixed, repeatable plan
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    events: dict[str, dict[str, Any]] = {}
    per_thread = DISTINCT // THREADS
    for t in range(THREADS):
        private = t % 5 == 4  # 10 private chats, 40 public comment threads
        thread_id = f"chat-{t:02d}" if private else f"post-{t:02d}"
        root = f"evt-{t:02d}-00"
        for i in range(per_thread):
            event_id = f"evt-{t:02d}-{i:02d}"
            author = f"citizen-{t:02d}" if private else f"citizen-{rng.randrange(400):03d}"
            reply = i > 0 and i % 3 != 0
            events[event_id] = {
                "event_id": event_id,
                "thread_id": thread_id,
                "thread_title": "" if private else f"Bericht {t} van Stad Voorbeeld",
                "visibility": "private" if private else "public",
                "author": {"id": author, "name": author.replace("-", " ").title()},
                # Distinct words per message, so that no two comments count as the same question.
                "text": f"Vraag {t} {i}: {' '.join(rng.sample(_WORDS, 6))} (nummer {t * 100 + i})",
                "created_at": (start + timedelta(hours=t, minutes=3 * i)).isoformat(),
                "in_reply_to": root if reply else None,
            }
    return events


_WORDS = (
    "afval containerpark parkeerkaart identiteitskaart paspoort bibliotheek zwembad straatlamp "
    "fietspad subsidie bouwvergunning rijbewijs verhuis adreswijziging kinderopvang speelplein "
    "markt evenement wegenwerken omleiding riolering boom zitbank voetpad sluikstort hondenpoep "
    "belasting aanslag huisvuil glasbol compost snoeiafval kerstboom sneeuw strooien lawaai "
    "buren parking bus tram trein station school inschrijving sporthal cultuurcentrum museum"
).split()


def _plan(secret: str) -> Plan:
    rng = random.Random(SEED + 1)  # noqa: S311
    plan = Plan(events=_events())
    order = list(plan.events)
    rng.shuffle(order)  # many replies now come before the comment they answer
    bodies = {event_id: json.dumps(plan.events[event_id]).encode() for event_id in order}
    deliveries = [Delivery("first", e, bodies[e], sign(bodies[e], secret)) for e in order]
    # A platform retrying a delivery sends the same bytes again, a little later.
    for event_id in rng.sample(order, DUPLICATES):
        at = next(n for n, d in enumerate(deliveries) if d.event_id == event_id)
        retry = Delivery("duplicate", event_id, bodies[event_id], sign(bodies[event_id], secret))
        deliveries.insert(at + rng.randrange(1, 40), retry)
    for n in range(BAD_SIGNATURES):
        if n % 2 == 0:  # a forgery of a new event: wrong secret, missing or malformed header
            payload = dict(plan.events[order[n]], event_id=f"forged-{n:02d}")
            plan.forged_ids.add(payload["event_id"])
            body = json.dumps(payload).encode()
            signature = [sign(body, "not-the-secret"), None, "sha1=" + "0" * 40][n % 3]
            bad = Delivery("bad", payload["event_id"], body, signature)
        else:  # a real event whose body was changed after it was signed
            event_id = order[n]
            tampered = dict(plan.events[event_id], text=f"{plan.tampered_marker} {n}")
            body = json.dumps(tampered).encode()
            bad = Delivery("bad", event_id, body, sign(bodies[event_id], secret))
        deliveries.insert(rng.randrange(len(deliveries)), bad)
    plan.deliveries = deliveries
    return plan


# ---------------------------------------------------------------------------------------
# Processes.


def _env(data_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        {
            "LOKET_DEMO": "1",
            "LOKET_DATA_DIR": str(data_dir),
            "LOKET_PORT": str(port),
            "LOKET_WEB_WORKERS": "2",
            "LOKET_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _loket(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "loket.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"loket {' '.join(args)}: {result.stderr}"
    return result.stdout


class Processes:
    """Started subprocesses, each in its own process group; all are killed at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", DIE_WITH_PARENT, str(os.getpid()), *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def kill_all(self) -> None:
        for process in self.started:
            with suppress(ProcessLookupError):  # the group: gunicorn's workers too
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def tail(self) -> str:
        return "\n".join(
            f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-15:])
            for path in sorted(self.logs.glob("*.log"))
        )


@contextmanager
def _processes(env: dict[str, str], logs: Path) -> Iterator[Processes]:
    processes = Processes(env, logs)
    try:
        yield processes
    finally:
        processes.kill_all()


def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(what: str, condition: Callable[[], bool], timeout: float, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


class Database:
    """Read-only looks at the SQLite file while the processes run (WAL: readers never wait).

    Counts are of the test's own account, whatever else the demo seed may bring along.
    """

    def __init__(self, path: Path, public_id: str) -> None:
        self.path = path
        self.account, self.organisation = self.rows(
            "SELECT id, organisation_id FROM channels_channelaccount WHERE public_id = ?",
            public_id.replace("-", ""),
        )[0]

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=20)) as db:
            return db.execute(sql, params).fetchall()

    def value(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]

    def events(self, status: str) -> int:
        return int(
            self.value(
                "SELECT count(*) FROM channels_inboundevent WHERE account_id = ? AND status = ?",
                self.account,
                status,
            )
        )

    def tasks(self, status: str) -> list[str]:
        return [
            task_id
            for (task_id,) in self.rows(
                "SELECT id FROM django_tasks_database_dbtaskresult "
                "WHERE status = ? AND task_path = ?",
                status,
                TASK,
            )
        ]


def _kill_while_busy(worker: subprocess.Popen[bytes], db: Database) -> str | None:
    """SIGKILL the worker while it holds a claimed task: freeze it, look, kill or let go."""
    for _ in range(200):
        os.kill(worker.pid, signal.SIGSTOP)
        running = db.tasks("RUNNING")
        if running:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
            return running[0]
        os.kill(worker.pid, signal.SIGCONT)
        time.sleep(0.003)
    os.kill(worker.pid, signal.SIGKILL)  # never caught mid-task: killed between tasks
    worker.wait(timeout=10)
    return None


# ---------------------------------------------------------------------------------------
# The test.


def test_a_thousand_deliveries_become_exactly_the_distinct_valid_messages_after_a_worker_kill(
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    data_dir, logs = tmp_path / "data", tmp_path / "logs"
    data_dir.mkdir()
    logs.mkdir()
    port = _free_port()
    env = _env(data_dir, port)
    _loket("demo", "seed", env=env)
    account = json.loads(
        _loket("channels", "create-generic", "--org", "stad-voorbeeld", "--name", "Chat", env=env)
        .strip()
        .splitlines()[-1]
    )
    plan = _plan(account["secret"])
    assert sum(d.kind == "first" for d in plan.deliveries) == DISTINCT
    assert sum(d.kind == "duplicate" for d in plan.deliveries) == DUPLICATES
    assert sum(d.kind == "bad" for d in plan.deliveries) == BAD_SIGNATURES
    position = {d.event_id: n for n, d in enumerate(plan.deliveries) if d.kind == "first"}
    early_replies = [
        e
        for e, payload in plan.events.items()
        if payload["in_reply_to"] and position[e] < position[payload["in_reply_to"]]
    ]
    assert len(early_replies) >= 100, "the order must put many replies before their parent"

    db = Database(data_dir / "loket.sqlite3", account["account_id"])
    url = f"http://127.0.0.1:{port}/hooks/generic/{account['account_id']}"
    answers: list[tuple[Delivery, int, dict[str, Any]]] = []
    local = threading.local()

    def post(delivery: Delivery) -> None:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        headers = {"Content-Type": "application/json"}
        if delivery.signature is not None:
            headers["X-Loket-Signature"] = delivery.signature
        response = local.session.post(url, data=delivery.body, headers=headers, timeout=30)
        answers.append((delivery, response.status_code, response.json()))

    with _processes(env, logs) as processes:
        server = processes.start("serve", "serve")

        def serving() -> bool:
            assert server.poll() is None, processes.tail()
            try:
                return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok
            except requests.ConnectionError:
                return False

        _wait_for("loket serve", serving, timeout=20)
        worker = processes.start("worker-1", "worker", "--interval", "0.1")
        phases = {"set up": time.monotonic() - started}

        with ThreadPoolExecutor(CLIENTS) as pool:
            posting = [pool.submit(post, d) for d in plan.deliveries]
            # Midway: about half of the distinct events processed.
            _wait_for(
                "the first worker to process half of the events",
                lambda: db.events("processed") >= KILL_AFTER_PROCESSED,
                timeout=TIMEOUT,
            )
            lost_task = _kill_while_busy(worker, db)
            processed_at_kill = db.events("processed")
            # The new worker sweeps for events whose task was lost, every few seconds here.
            processes.start("worker-2", "worker", "--interval", "0.1", "--recover-after", "3")
            phases["killed"] = time.monotonic() - started
            for future in posting:
                future.result()
            phases["posted"] = time.monotonic() - started

        # The new worker drains the queue; the killed worker's task is not in it any more.
        def drained() -> bool:
            running = set(db.tasks("RUNNING"))
            return not db.tasks("READY") and running <= ({lost_task} if lost_task else set())

        _wait_for("the queue to drain", drained, timeout=TIMEOUT)
        phases["drained"] = time.monotonic() - started
        # What the killed worker's drain would have processed waits for the recovery sweep.
        pending_after_drain = db.events("pending")
        _wait_for("every event to be processed", lambda: db.events("pending") == 0, TIMEOUT)
        phases["recovered"] = time.monotonic() - started
        # The last drain settles briefly after the last event before it ends; only the
        # killed worker's task may stay claimed for good.
        lost = {lost_task} if lost_task else set()
        _wait_for("the last drain to end", lambda: set(db.tasks("RUNNING")) <= lost, TIMEOUT)
        stuck = db.tasks("RUNNING")
        failed = db.tasks("FAILED")

    # The webhook's answers.
    by_kind: dict[str, collections.Counter[tuple[int, str]]] = collections.defaultdict(
        collections.Counter
    )
    for delivery, status, body in answers:
        by_kind["bad" if delivery.kind == "bad" else "good"][(status, body.get("status", ""))] += 1
    assert by_kind["bad"] == {(401, ""): BAD_SIGNATURES}
    assert by_kind["good"] == {(200, "accepted"): DISTINCT, (200, "duplicate"): DUPLICATES}

    # The ledger: each distinct event once, all processed; nothing of the bad deliveries.
    ledger = dict(
        db.rows(
            "SELECT event_key, status FROM channels_inboundevent WHERE account_id = ?", db.account
        )
    )
    assert ledger == dict.fromkeys(plan.events, "processed")
    assert not failed, failed
    assert set(stuck) <= ({lost_task} if lost_task else set())

    # The messages: exactly the 900, each once, each in the conversation its thread_id names.
    messages = db.rows(
        "SELECT m.id, m.external_id, m.in_reply_to_external_id, m.case_id, m.text, "
        "c.external_thread_id, c.kind, m.visibility "
        "FROM inbox_message m JOIN inbox_conversation c ON c.id = m.conversation_id "
        "WHERE m.direction = 'inbound' AND m.channel_account_id = ?",
        db.account,
    )
    assert len(messages) == DISTINCT
    found = {row[1]: row for row in messages}
    assert set(found) == set(plan.events)
    for event_id, payload in plan.events.items():
        _pk, _eid, in_reply_to, case_id, text, thread_id, kind, visibility = found[event_id]
        assert thread_id == payload["thread_id"], event_id
        assert visibility == payload["visibility"], event_id
        assert kind == ("private" if payload["visibility"] == "private" else "public_thread")
        assert in_reply_to == (payload["in_reply_to"] or "")
        assert text == payload["text"]
        assert case_id is not None, event_id
    conversations = "SELECT count(*) FROM inbox_conversation WHERE channel_account_id = ?"
    assert db.value(conversations, db.account) == THREADS
    assert not plan.forged_ids & {row[1] for row in messages}
    assert not any(plan.tampered_marker in row[4] for row in messages)
    assert not db.value(
        "SELECT count(*) FROM channels_inboundevent WHERE instr(body, ?) > 0",
        plan.tampered_marker.encode(),
    )

    # Threads into cases: a reply stored after its parent joins the parent's case; a parent
    # stored after replies joins the case of the first of them.
    for event_id, payload in plan.events.items():
        parent = payload["in_reply_to"]
        if parent and found[parent][0] < found[event_id][0]:
            assert found[event_id][3] == found[parent][3], (event_id, parent)
    for parent in {p["in_reply_to"] for p in plan.events.values() if p["in_reply_to"]}:
        earlier = sorted(
            row[0] for row in messages if row[2] == parent and row[0] < found[parent][0]
        )
        if earlier:
            first = next(row for row in messages if row[0] == earlier[0])
            assert found[parent][3] == first[3], parent
    # Every case was opened once, with its history; the organisation's numbers have no gaps.
    cases = db.value("SELECT count(*) FROM inbox_case WHERE channel_account_id = ?", db.account)
    assert cases == len({row[3] for row in messages})
    created = db.value(
        "SELECT count(*) FROM inbox_caseevent e JOIN inbox_case c ON c.id = e.case_id "
        "WHERE c.channel_account_id = ? AND e.kind = 'created'",
        db.account,
    )
    assert created == cases
    numbers = [
        row[0]
        for row in db.rows(
            "SELECT number FROM inbox_case WHERE organisation_id = ? ORDER BY number",
            db.organisation,
        )
    ]
    assert numbers == list(range(1, len(numbers) + 1))

    elapsed = time.monotonic() - started
    print(
        f"\n{len(plan.deliveries)} posts, {len(early_replies)} replies before their parent; "
        f"worker killed after {processed_at_kill} processed events "
        f"({'holding task ' + str(lost_task) if lost_task else 'between tasks'}); "
        f"{pending_after_drain} event(s) recovered by the sweep; {cases} cases; {elapsed:.1f} s "
        f"({', '.join(f'{name} at {at:.1f} s' for name, at in phases.items())})"
    )
