"""Response times of the organisation pages with a populated organisation.

Seeds the demo cast plus N extra members and teams into a throw-away SQLite database, then
requests each page repeatedly through Django's test client (no network) and prints the
median and p95 in milliseconds, and the number of SQL queries per page.

    .venv/bin/python bench/pages.py [--members 500] [--rounds 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="loket-bench-")
    os.environ.update({"LOKET_DEMO": "1", "LOKET_DATA_DIR": data_dir, "LOKET_LOG_LEVEL": "ERROR"})
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "loket.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from loket.cli import demo_cast
    from loket.tenancy import selectors, services

    call_command("migrate", verbosity=0)
    demo_cast.seed()
    stad = selectors.organisation_by_slug("stad-voorbeeld")
    assert stad is not None
    teams = [services.save_team(organisation=stad, name=f"Team {i}") for i in range(20)]
    for i in range(args.members):
        user = services.upsert_user(username=f"lid{i}")
        services.set_membership(organisation=stad, user=user, role="agent", team=teams[i % 20])

    client = Client(HTTP_HOST="127.0.0.1")
    admin = selectors.user_by_username_or_email("admin")
    assert admin is not None
    client.force_login(admin)
    pages = [
        "/o/stad-voorbeeld/",
        "/o/stad-voorbeeld/teams/",
        "/o/stad-voorbeeld/members/",
        "/o/stad-voorbeeld/audit/",
        "/api/v1/me",
        "/healthz",
    ]
    print(f"pages with {args.members} members, {args.rounds} rounds each (SQLite, in-process)")
    print(f"{'page':<32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for page in pages:
        client.get(page)  # warm up
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(page)
        timings = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            response = client.get(page)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (page, response.status_code)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{page:<32} {statistics.median(timings):>10.1f} {p95:>8.1f} {len(queries):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
