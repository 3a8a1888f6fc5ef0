"""The `loket` command as an operator meets it: real processes, real exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PRODUCTION = {
    "LOKET_SECRET_KEY": "Xq3v-production-like-secret-key-with-enough-variety-0123456789",
    "LOKET_ALLOWED_HOSTS": "loket.example.be",
}


def run_loket(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.update({"LOKET_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "loket.cli.main", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_in_production_settings(tmp_path: Path) -> None:
    result = run_loket(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_start_up_refuses_the_default_secret_outside_demo_mode(tmp_path: Path) -> None:
    result = run_loket("check", env={}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "LOKET_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_setting_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = run_loket("check", env={"LOKET_DEMO": "1", "LOKET_PORT": "http"}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "LOKET_PORT" in result.stderr


def test_demo_needs_demo_mode(tmp_path: Path) -> None:
    result = run_loket("demo", "seed", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "LOKET_DEMO=1" in result.stderr


def test_demo_seed_migrates_a_wal_database_and_seeds(tmp_path: Path) -> None:
    result = run_loket("demo", "seed", env={"LOKET_DEMO": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "loket.sqlite3") as database:
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = {row[0] for row in database.execute("SELECT slug FROM tenancy_organisation")}
    assert {"vlaamse-overheid", "stad-voorbeeld"} <= names


def test_usage_lists_loket_commands(tmp_path: Path) -> None:
    result = run_loket(env={"LOKET_DEMO": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0
    for command in ("demo", "serve", "worker", "migrate", "check"):
        assert f"  {command}" in result.stdout


def test_worker_runs_a_queued_task_to_completion(tmp_path: Path) -> None:
    env = {"LOKET_DEMO": "1", "PYTHONPATH": str(Path(__file__).parents[2])}
    assert run_loket("migrate", "--verbosity", "0", env=env, tmp_path=tmp_path).returncode == 0
    enqueue = "from tests.cli.sample_tasks import add; print(add.enqueue(2, 3).id)"
    queued = run_loket("shell", "--no-imports", "-c", enqueue, env=env, tmp_path=tmp_path)
    task_id = queued.stdout.strip()
    assert queued.returncode == 0, queued.stderr
    assert task_id

    worked = run_loket("worker", "--batch", env=env, tmp_path=tmp_path)
    assert worked.returncode == 0, worked.stderr

    read = (
        "from tests.cli.sample_tasks import add; "
        f"r = add.get_result({task_id!r}); print(r.status, r.return_value)"
    )
    result = run_loket("shell", "--no-imports", "-c", read, env=env, tmp_path=tmp_path)
    assert result.stdout.split() == ["SUCCESSFUL", "5"], result.stderr
