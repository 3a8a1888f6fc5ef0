"""Intake throughput: events accepted per second at the webhook, and processed into cases.

For each database (SQLite in a throw-away data directory; PostgreSQL in a throw-away cluster
on loopback when its binaries are installed) the bench seeds the demo cast, creates a generic
webhook account and measures

1. accepted/s at the webhook: `loket serve` (gunicorn) alone, C concurrent keep-alive HTTP
   clients posting N signed events over loopback, with p50/p95 latency;
2. processed/s by the full pipeline: `loket worker` draining those queued events (task claim,
   `intake.process_event`, task result), from its first processed event until none is pending;
3. accepted/s while worker(s) drain at the same time (web, worker and database share the
   machine, as in production), and the rate at which all of it ends up processed;
4. in-process rates without HTTP or the queue: `channels.services.receive` and the pure
   `intake.process_event`, one call after another.

Besides wall-clock rates it prints the CPU time per event of Loket's processes and of
PostgreSQL (from /proc): the machine may be shared, and CPU per event is what decides the
rate on dedicated cores ("2-core ceiling" = 2 CPU-seconds / CPU-seconds per event, not
counting the load generator).

    .venv/bin/python bench/intake.py [--events 600] [--concurrency 8] [--database both]

The target of the intake issue: at least 1,000 events/s accepted with PostgreSQL on this
2-core machine.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import _support

TARGET_ACCEPTED = 1000.0
CORES = 2
WORDS = (
    "afval containerpark parkeerkaart identiteitskaart paspoort bibliotheek zwembad straatlamp "
    "fietspad subsidie bouwvergunning rijbewijs verhuis adreswijziging kinderopvang speelplein "
    "markt evenement wegenwerken omleiding riolering boom zitbank voetpad sluikstort belasting "
    "huisvuil glasbol compost snoeiafval sneeuw lawaai parking bus tram station school sporthal"
).split()


def events(count: int, *, prefix: str, seed: int = 1) -> list[dict[str, Any]]:
    """Citizen messages spread over count/10 threads; a third are replies, a fifth private."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data
    start = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    threads = max(1, count // 10)
    out = []
    for n in range(count):
        t = n % threads
        private = t % 5 == 4
        author = f"citizen-{t}" if private else f"citizen-{rng.randrange(count)}"
        out.append(
            {
                "event_id": f"{prefix}-{n}",
                "thread_id": f"{prefix}-{'chat' if private else 'post'}-{t}",
                "visibility": "private" if private else "public",
                "author": {"id": author, "name": author.title()},
                "text": f"{' '.join(rng.sample(WORDS, 8))} {n}?",
                "created_at": (start + timedelta(seconds=37 * n)).isoformat(),
                "in_reply_to": f"{prefix}-{t}" if n >= threads and n % 3 == 1 else None,
            }
        )
    return out


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------------------
# Measuring from outside.


@dataclass
class Meter:
    """Wall time and CPU time of some process trees between start() and stop()."""

    loket: Callable[[], list[int]]  # pids of Loket's processes (roots of trees)
    postgres: int | None = None  # the postmaster, if any

    def start(self) -> None:
        self.began = time.perf_counter()
        self.loket_cpu = sum(_support.tree_cpu(pid) for pid in self.loket())
        self.pg_cpu = _support.tree_cpu(self.postgres) if self.postgres else 0.0
        self.client_cpu = sum(os.times()[:2])

    def stop(self, count: int) -> dict[str, float]:
        wall = time.perf_counter() - self.began
        loket = sum(_support.tree_cpu(pid) for pid in self.loket()) - self.loket_cpu
        pg = (_support.tree_cpu(self.postgres) - self.pg_cpu) if self.postgres else 0.0
        client = sum(os.times()[:2]) - self.client_cpu
        return {
            "rate": count / wall,
            "seconds": wall,
            "loket_ms": loket / count * 1000,
            "pg_ms": pg / count * 1000,
            "client_ms": client / count * 1000,
        }


def post_all(
    port: int, path: str, bodies: list[tuple[bytes, str]], concurrency: int
) -> dict[str, Any]:
    """POST every body over `concurrency` keep-alive connections; latencies and answers.

    Requests are built beforehand and answers read with a minimal parser on raw sockets, so
    that the load generator, which shares the machine's cores with Loket, costs little.
    """
    requests = [
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"X-Loket-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body
        for body, signature in bodies
    ]
    latencies: list[float] = []
    answers: Counter[str] = Counter()
    lock = threading.Lock()
    chunks = [requests[n::concurrency] for n in range(concurrency)]

    def connect() -> tuple[socket.socket, Any]:
        connection = socket.create_connection(("127.0.0.1", port), timeout=60)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, connection.makefile("rb")

    def exchange(reader: Any) -> tuple[str, bytes, bool]:
        """Status, body and whether the server keeps the connection open; ("", …) if closed."""
        parts = reader.readline().split(b" ", 2)
        if len(parts) < 2:
            return "", b"", False
        length, keep, chunked = 0, True, False
        while (line := reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = value == b"chunked"
            elif name == b"connection" and value == b"close":
                keep = False
        if not chunked:
            return parts[1].decode(), reader.read(length), keep
        body = b""
        while size := int(reader.readline().split(b";")[0], 16):
            body += reader.read(size + 2)[:-2]
        reader.readline()
        return parts[1].decode(), body, keep

    def run(chunk: list[bytes]) -> None:
        mine: list[float] = []
        seen: Counter[str] = Counter()
        connection, reader = connect()
        for request in chunk:
            began = time.perf_counter()
            for _attempt in range(3):  # the server may close an idle keep-alive connection
                try:
                    connection.sendall(request)
                    status, answer, keep = exchange(reader)
                except OSError:
                    status, answer, keep = "", b"", False
                if not keep:
                    connection.close()
                    connection, reader = connect()
                if status:
                    break
            mine.append(time.perf_counter() - began)
            found = re.search(rb'"status": ?"(\w+)"', answer)
            seen[found.group(1).decode() if found else status or "closed"] += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            answers.update(seen)

    threads = [threading.Thread(target=run, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "p50_ms": _support.percentile(latencies, 0.50) * 1000,
        "p95_ms": _support.percentile(latencies, 0.95) * 1000,
        "answers": dict(answers),
    }


def pending_counter(instance: _support.Loket) -> Callable[[], int]:
    """Pending events in the ledger, read straight from the database."""
    sql = "SELECT count(*) FROM channels_inboundevent WHERE status = 'pending'"
    if instance.database_url:
        import psycopg

        url = instance.database_url.replace("postgres://", "postgresql://", 1)

        def count_pg() -> int:
            with psycopg.connect(url) as db:
                row = db.execute(sql).fetchone()
            return int(row[0]) if row else 0

        return count_pg
    path = instance.data_dir / "loket.sqlite3"

    def count_sqlite() -> int:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as db:
            return int(db.execute(sql).fetchone()[0])

    return count_sqlite


def serving(instance: _support.Loket, server: Any) -> bool:
    if server.poll() is not None:
        log = (instance.data_dir / "serve.log").read_text()[-2000:]
        raise RuntimeError(f"loket serve stopped: {log}")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def start_server(instance: _support.Loket) -> Any:
    server = instance.start("serve", "serve")
    _support.wait_for("loket serve", lambda: serving(instance, server), timeout=30, step=0.2)
    return server


def row(name: str, what: str, count: int, result: dict[str, Any], latency: str = "") -> list[Any]:
    cpu = result["loket_ms"] + result["pg_ms"]
    return [
        name,
        what,
        count,
        result["rate"],
        latency,
        result["loket_ms"],
        result["pg_ms"] if result["pg_ms"] else None,
        CORES * 1000 / cpu if cpu else None,
    ]


def bench_database(
    name: str, database_url: str, postmaster: int | None, args: argparse.Namespace
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    with _support.loket(database_url, web_workers=args.web_workers) as instance:
        began = time.perf_counter()
        instance.run("demo", "seed")
        created = instance.run(
            "channels", "create-generic", "--org", "stad-voorbeeld", "--name", "Bench"
        )
        account = json.loads(created.splitlines()[-1])
        print(f"  {name}: migrated and seeded in {time.perf_counter() - began:.1f} s", flush=True)
        path = f"/hooks/generic/{account['account_id']}"
        pending = pending_counter(instance)

        def signed(prefix: str, count: int, seed: int) -> list[tuple[bytes, str]]:
            out = []
            for payload in events(count, prefix=prefix, seed=seed):
                body = json.dumps(payload).encode()
                out.append((body, sign(body, account["secret"])))
            return out

        # 1. The webhook alone.
        server = start_server(instance)
        post_all(instance.port, path, signed("warm", 200, 9), args.concurrency)
        meter = Meter(lambda: [server.pid], postmaster)
        bodies = signed("a", args.events, 1)
        meter.start()
        posted = post_all(instance.port, path, bodies, args.concurrency)
        accepted = meter.stop(posted["answers"].get("accepted", 0) or 1)
        _check(posted, args.events)
        latency = f"{posted['p50_ms']:.1f} / {posted['p95_ms']:.1f}"
        rows.append(row(name, "webhook alone", args.events, accepted, latency))
        print(f"  {name}: webhook alone {accepted['rate']:.0f}/s", flush=True)
        instance.stop(server)

        # 2. The full pipeline: the worker(s) drain what the webhook stored.
        queued = pending()
        drained = drain(instance, pending, postmaster, args.workers)
        rows.append(row(name, f"pipeline, {args.workers} worker(s)", queued, drained))
        print(f"  {name}: pipeline {drained['rate']:.0f}/s", flush=True)

        # 3. Webhook and worker(s) at the same time.
        server = start_server(instance)
        workers = [
            instance.start(f"mixed-worker-{n}", "worker", "--interval", "0.05")
            for n in range(args.workers)
        ]
        for n in range(args.workers):  # up and polling before the first post
            log = instance.data_dir / f"mixed-worker-{n}.log"
            _support.wait_for(
                "a worker to start",
                lambda log=log: log.exists() and "Starting worker" in log.read_text(),
                timeout=60,
                step=0.1,
            )
        meter = Meter(lambda: [server.pid, *(w.pid for w in workers)], postmaster)
        bodies = signed("m", args.events, 3)
        meter.start()
        posted = post_all(instance.port, path, bodies, args.concurrency)
        mixed = meter.stop(args.events)
        _check(posted, args.events)
        left = pending()
        meter.start()
        _support.wait_for("the queue to drain", lambda: pending() == 0, timeout=3600, step=0.1)
        backlog = meter.stop(max(left, 1))
        for process in [server, *workers]:
            instance.stop(process)
        latency = f"{posted['p50_ms']:.1f} / {posted['p95_ms']:.1f}"
        rows.append(row(name, "webhook + worker(s) at once", args.events, mixed, latency))
        done = args.events - left
        rest = row(name, f"  {done} processed meanwhile; the other", left, backlog)
        if left < 50:  # too few to time: polling dominates
            rest[3:] = [None] * (len(rest) - 3)
        rows.append(rest)

        # 4. In process: receive() and process_event() without HTTP or the queue.
        feed = instance.data_dir / "inner.json"
        feed.write_text(json.dumps(events(args.inner_events, prefix="p", seed=4)))
        argv = ["inner", str(feed), account["account_id"], account["secret"], str(postmaster or 0)]
        code = (
            f"import runpy, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"sys.argv = {argv!r}; runpy.run_path({__file__!r}, run_name='inner')"
        )
        inner_result = json.loads(instance.shell(code).strip().splitlines()[-1])
        for what in ("receive", "process_event"):
            label = {"receive": "services.receive", "process_event": "intake.process_event"}
            rows.append(
                row(name, f"{label[what]} in process", args.inner_events, inner_result[what])
            )
    return rows


def drain(
    instance: _support.Loket, pending: Callable[[], int], postmaster: int | None, workers: int
) -> dict[str, float]:
    """Start the workers; measure from their first processed event until none is pending."""
    total = pending()
    processes = [
        instance.start(f"worker-{n}", "worker", "--interval", "0.05") for n in range(workers)
    ]
    try:
        _support.wait_for("a worker to start", lambda: pending() < total, timeout=60, step=0.02)
        meter = Meter(lambda: [p.pid for p in processes], postmaster)
        started_with = pending()
        meter.start()
        _support.wait_for("the queue to drain", lambda: pending() == 0, timeout=3600, step=0.1)
        return meter.stop(started_with)
    finally:
        for process in processes:
            instance.stop(process)


def _check(result: dict[str, Any], expected: int) -> None:
    if result["answers"].get("accepted") != expected:
        print(f"  warning: answers {result['answers']}", flush=True)


def inner() -> None:
    """Runs inside `loket shell`: Django is set up with the bench's database."""
    feed, account_id, secret, postmaster = sys.argv[1:5]
    from loket.channels import selectors, services
    from loket.channels.models import InboundEvent
    from loket.inbox import intake

    account = selectors.account_for_webhook("generic", account_id)
    assert account is not None
    bodies = [json.dumps(payload).encode() for payload in json.loads(Path(feed).read_text())]

    def measure(run: Callable[[], None], count: int) -> dict[str, float]:
        pg = _support.tree_cpu(int(postmaster)) if int(postmaster) else 0.0
        cpu, began = time.process_time(), time.perf_counter()
        run()
        wall = time.perf_counter() - began
        loket = time.process_time() - cpu
        pg = (_support.tree_cpu(int(postmaster)) - pg) if int(postmaster) else 0.0
        return {
            "rate": count / wall,
            "loket_ms": loket / count * 1000,
            "pg_ms": pg / count * 1000,
        }

    def receive_all() -> None:
        for body in bodies:
            headers = {"X-Loket-Signature": sign(body, secret)}
            services.receive(account=account, headers=headers, body=body)

    received = measure(receive_all, len(bodies))
    keys = [json.loads(body)["event_id"] for body in bodies]
    ids = list(
        InboundEvent.objects.filter(event_key__in=keys).order_by("pk").values_list("pk", flat=True)
    )
    new: list[int] = []
    processed = measure(lambda: new.extend(intake.process_event(pk) for pk in ids), len(ids))
    assert sum(new) == len(bodies), (sum(new), len(bodies))
    print(json.dumps({"receive": received, "process_event": processed}))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=600, help="events per HTTP phase")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent HTTP clients")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=1, help="`loket worker` processes")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--inner-events", type=int, default=200, help="events, in-process rates")
    args = parser.parse_args()

    print(
        f"intake: {args.events} events per HTTP phase, {args.concurrency} HTTP clients, "
        f"{args.web_workers} gunicorn processes x 4 threads, {args.workers} worker(s), "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start; loopback only",
        flush=True,
    )
    rows: list[list[Any]] = []
    if args.database in {"sqlite", "both"}:
        rows += bench_database("sqlite", "", None, args)
    if args.database in {"postgres", "both"}:
        with _support.postgres_cluster() as cluster:
            if cluster is None:
                print("  postgres: skipped, no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
            else:
                url = cluster.create_database("loket")
                rows += bench_database("postgres", url, cluster.postmaster, args)
    print()
    headers = [
        "database",
        "what",
        "events",
        "events/s",
        "p50 / p95 ms",
        "Loket CPU ms/ev",
        "PG CPU ms/ev",
        f"{CORES}-core ceiling/s",
    ]
    print(_support.table(headers, rows))
    print(f"(load average {os.getloadavg()[0]:.1f} at the end)")
    webhook = [r for r in rows if r[0] == "postgres" and r[1] == "webhook alone"]
    if webhook:
        rate = float(webhook[0][3])
        verdict = "met" if rate >= TARGET_ACCEPTED else "MISSED"
        print(
            f"target ≥ {TARGET_ACCEPTED:.0f} accepted/s with PostgreSQL: {verdict} ({rate:.0f}/s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
elif __name__ == "inner":
    inner()
