"""A real, throw-away Bluesky network on loopback for the end-to-end tests.

PostgreSQL and Redis (Debian packages) for the AppView, then `local_network.js`, which runs
PLC directory, PDS and AppView from npm's `@atproto/dev-env`, installed by
`.ci/install.d/bluesky.sh` into `${LOKET_PEERS_DIR:-~/.cache/loket-peers}/bluesky`. Every
process is a child of the test process, on free ports, and is stopped afterwards; each one
also stops by itself when the test process dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

DEV_ENV_VERSION = "0.3.215"
SCRIPT = Path(__file__).with_name("local_network.js")
PG_USER = "postgres"
START_TIMEOUT = 120.0


def peers_dir() -> Path:
    base = os.environ.get("LOKET_PEERS_DIR") or str(Path.home() / ".cache" / "loket-peers")
    return Path(base) / "bluesky"


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def missing() -> str:
    """What is not installed for the local network, or "" when everything is."""
    dev_env = peers_dir() / "node_modules" / "@atproto" / "dev-env" / "package.json"
    if shutil.which("node") is None:
        return "node is not installed"
    if not dev_env.exists() or json.loads(dev_env.read_text())["version"] != DEV_ENV_VERSION:
        return f"@atproto/dev-env@{DEV_ENV_VERSION} is not installed in {peers_dir()}"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    if _postgres_bin() is None:
        return "PostgreSQL is not installed"
    return ""


@dataclass(frozen=True)
class LocalNetwork:
    pds_url: str
    appview_url: str
    control_url: str

    def process_all(self) -> None:
        """Wait until the AppView has indexed everything on the PDS (it indexes in the
        background; a reply indexed before its parent gets no notification)."""
        answer = requests.post(f"{self.control_url}/process-all", timeout=60)
        answer.raise_for_status()


@contextlib.contextmanager
def local_network() -> Iterator[LocalNetwork]:
    work = Path(tempfile.mkdtemp(prefix="loket-bluesky-"))
    work.chmod(0o755)  # PostgreSQL runs as its own user and must reach its data directory
    children: list[tuple[subprocess.Popen[bytes], signal.Signals]] = []
    try:
        postgres_port = _start_postgres(work, children)
        redis_port = _start_redis(work, children)
        yield _start_network(work, children, postgres_port=postgres_port, redis_port=redis_port)
    finally:
        for process, stop_signal in reversed(children):
            _stop(process, stop_signal)
        shutil.rmtree(work, ignore_errors=True)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dies_with_parent(stop_signal: signal.Signals) -> None:
    """Runs in the child before exec: the kernel sends `stop_signal` if the test dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(stop_signal))  # PR_SET_PDEATHSIG


def _spawn(
    command: list[str],
    children: list[tuple[subprocess.Popen[bytes], signal.Signals]],
    *,
    log: Path,
    stop_signal: signal.Signals = signal.SIGTERM,
    user: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - fixed programs, arguments of our own
            command,
            stdin=subprocess.PIPE,
            stdout=output,
            stderr=subprocess.STDOUT,
            user=user,
            env=env,
            cwd=cwd,
            preexec_fn=lambda: _dies_with_parent(stop_signal),
        )
    children.append((process, stop_signal))
    return process


def _stop(process: subprocess.Popen[bytes], stop_signal: signal.Signals) -> None:
    if process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    if process.stdin is not None:
        process.stdin.close()


def _start_postgres(
    work: Path, children: list[tuple[subprocess.Popen[bytes], signal.Signals]]
) -> int:
    binaries = _postgres_bin()
    assert binaries is not None
    data = work / "pgdata"
    data.mkdir()
    user = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = PG_USER
        shutil.chown(data, user=PG_USER)
    subprocess.run(  # noqa: S603
        [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
        user=user,
    )
    port = free_port()
    process = _spawn(
        [
            str(binaries / "postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-k",
            str(data),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "max_connections=200",
        ],
        children,
        log=work / "postgres.log",
        stop_signal=signal.SIGINT,  # PostgreSQL's fast shutdown
        user=user,
    )
    _wait_for_port(port, process, "PostgreSQL", work / "postgres.log")
    # Accepting TCP connections comes a moment before accepting logins.
    deadline = time.monotonic() + 30
    while subprocess.run(  # noqa: S603
        [str(binaries / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"], check=False
    ).returncode:
        if time.monotonic() > deadline:
            raise RuntimeError("PostgreSQL did not accept connections")
        time.sleep(0.1)
    return port


def _start_redis(work: Path, children: list[tuple[subprocess.Popen[bytes], signal.Signals]]) -> int:
    port = free_port()
    redis = shutil.which("redis-server")
    assert redis is not None
    process = _spawn(
        [
            redis,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        children,
        log=work / "redis.log",
    )
    _wait_for_port(port, process, "Redis", work / "redis.log")
    return port


def _start_network(
    work: Path,
    children: list[tuple[subprocess.Popen[bytes], signal.Signals]],
    *,
    postgres_port: int,
    redis_port: int,
) -> LocalNetwork:
    ports = {name: free_port() for name in ("PLC", "PDS", "APPVIEW", "OZONE", "CONTROL")}
    temporary = work / "tmp"  # where the PDS keeps its repositories and blobs
    temporary.mkdir()
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "TMPDIR": str(temporary),
        "NODE_PATH": str(peers_dir() / "node_modules"),
        "DB_POSTGRES_URL": f"postgresql://postgres@127.0.0.1:{postgres_port}/postgres",
        "REDIS_HOST": f"127.0.0.1:{redis_port}",
        **{f"LOKET_BSKY_{name}_PORT": str(port) for name, port in ports.items()},
    }
    node = shutil.which("node")
    assert node is not None
    log = work / "network.log"
    process = _spawn([node, str(SCRIPT)], children, log=log, env=environment, cwd=peers_dir())
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        text = log.read_text(errors="replace")
        if "READY " in text:
            break
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the local Bluesky network did not start:\n{text[-3000:]}")
        time.sleep(0.1)
    return LocalNetwork(
        pds_url=f"http://localhost:{ports['PDS']}",
        appview_url=f"http://localhost:{ports['APPVIEW']}",
        control_url=f"http://127.0.0.1:{ports['CONTROL']}",
    )


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.05)
