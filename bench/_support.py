"""Helpers the benchmarks share: throw-away data directories and PostgreSQL clusters, `loket`
subprocesses, free ports, percentiles and tables. Loopback only; nothing is left behind."""

from __future__ import annotations

import contextlib
import glob
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Runs `loket ARGS` so that it is killed when the bench dies, however it dies (Linux:
# PR_SET_PDEATHSIG survives the exec); nothing keeps polling a deleted data directory.
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
PG_USER = "postgres"


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: text columns left-aligned, numbers right-aligned."""
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] in ("", None) for row in rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, cells)])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def wait_for(what: str, condition: Callable[[], bool], timeout: float, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and of its reaped children) from /proc."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[1]), sum(int(f) for f in fields[11:15]) / ticks


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by a process and all its descendants (Linux /proc)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            stats[int(entry)] = stat
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
            todo.extend(child for child, (parent, _cpu) in stats.items() if parent == pid)
    return total


# ---------------------------------------------------------------------------------------
# PostgreSQL: a throw-away cluster on loopback, as .ci/run starts one.


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@dataclass
class PostgresCluster:
    bin: Path
    work: Path
    port: int
    databases: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.work / "pgdata"

    def url(self, database: str) -> str:
        return f"postgres://loket@127.0.0.1:{self.port}/{database}"

    @property
    def postmaster(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def create_database(self, name: str) -> str:
        _as_pg(
            [
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "loket",
                name,
            ]
        )
        self.databases.append(name)
        return self.url(name)


def _as_pg(command: list[str]) -> None:
    if os.geteuid() == 0:
        user = PG_USER
        try:
            import pwd

            pwd.getpwnam(user)
        except KeyError:
            user = "nobody"
        command = ["su", "-s", "/bin/sh", user, "-c", shlex.join(command)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603


@contextlib.contextmanager
def postgres_cluster() -> Iterator[PostgresCluster | None]:
    """A fresh cluster (fsync off: it is thrown away) or None when PostgreSQL is not installed."""
    binaries = pg_bin()
    if binaries is None:
        yield None
        return
    work = Path(tempfile.mkdtemp(prefix="loket-bench-pg-"))
    work.chmod(0o755)
    cluster = PostgresCluster(bin=binaries, work=work, port=free_port())
    cluster.data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(cluster.data, user=PG_USER)
    options = (
        f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {cluster.data} "
        "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "
        "-c shared_buffers=256MB -c max_connections=100"
    )
    try:
        _as_pg(
            [
                str(binaries / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                "loket",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
        _as_pg(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(cluster.data),
                "-l",
                str(cluster.data / "server.log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        )
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            _as_pg([str(binaries / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "stop"])
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# `loket` subprocesses on a throw-away data directory.


@dataclass
class Loket:
    """One Loket installation: a data directory and optionally a PostgreSQL database."""

    data_dir: Path
    database_url: str = ""
    port: int = field(default_factory=free_port)
    web_workers: int = 2
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOKET_")}
        for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
            env.pop(name, None)
        env.update(
            {
                "LOKET_DEMO": "1",
                "LOKET_DATA_DIR": str(self.data_dir),
                "LOKET_PORT": str(self.port),
                "LOKET_WEB_WORKERS": str(self.web_workers),
                "LOKET_LOG_LEVEL": "WARNING",
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])
                ),
            }
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str, timeout: float = 600) -> str:
        result = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "loket.cli.main", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"loket {args[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def shell(self, code: str, timeout: float = 600) -> str:
        return self.run("shell", "--no-imports", "-c", code, timeout=timeout)

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.data_dir / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - our own command
                [sys.executable, "-c", DIE_WITH_PARENT, str(os.getpid()), *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        """SIGTERM the process group, SIGKILL it if it lingers."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # gunicorn's workers, if any are left
            os.killpg(process.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for process in self.started:
            self.stop(process)
        self.started.clear()


@contextlib.contextmanager
def loket(database_url: str = "", web_workers: int = 2) -> Iterator[Loket]:
    data_dir = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    instance = Loket(data_dir=data_dir, database_url=database_url, web_workers=web_workers)
    try:
        yield instance
    finally:
        instance.stop_all()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    print("helpers of the other benches; nothing to measure here")
