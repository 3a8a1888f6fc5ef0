"""A real mail server on loopback for the tests: aiosmtpd takes mail in over SMTP and hands it to
Dovecot's LDA, which stores it in a Dovecot IMAP server.

Everything lives in a temporary directory with its own dovecot.conf; no system mail setting is
read or changed. Needs the Debian package dovecot-imapd and, when running as root, a `vmail`
user (Dovecot refuses to store mail as root): `.ci/install.d/email.sh` provides both.
"""

from __future__ import annotations

import asyncio
import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import smtplib
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

DOVECOT = "/usr/sbin/dovecot"
DOVECOT_LDA = "/usr/lib/dovecot/dovecot-lda"
MAIL_USER = "vmail"
# dovecot-lda's exit codes (sysexits.h) and the SMTP answers they become.
EX_NOUSER = 67
EX_TEMPFAIL = 75


def unavailable(reason: str) -> None:
    """Skip a test whose peer cannot run here, but fail it in CI, where it must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the mail peer must be available)")
    pytest.skip(reason)


def missing_peer() -> str:
    """Why the mail peer cannot run on this machine; empty when it can."""
    for program in (DOVECOT, DOVECOT_LDA):
        if not os.access(program, os.X_OK):
            return f"{program} is missing: install dovecot-imapd (see .ci/install.d/email.sh)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(MAIL_USER)
        except KeyError:
            return f"no {MAIL_USER} user to own the test mailboxes (see .ci/install.d/email.sh)"
    return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Answers:
    """What the SMTP side answers instead of delivering, to play a refusing server."""

    rcpt: dict[str, str] = field(default_factory=dict)  # address → "450 …" / "550 …"
    data: list[str] = field(default_factory=list)  # answers to the next DATA commands


class DeliverToDovecot:
    """aiosmtpd handler: every accepted message goes through dovecot-lda into the mailbox (or,
    without a Dovecot configuration, is only kept in `received`)."""

    def __init__(self, config_file: Path | None, answers: Answers) -> None:
        self.config_file = config_file
        self.answers = answers
        self.received: list[Any] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        refusal = self.answers.rcpt.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answers.data:
            return self.answers.data.pop(0)
        for recipient in envelope.rcpt_tos if self.config_file else []:
            process = await asyncio.create_subprocess_exec(
                DOVECOT_LDA,
                "-c",
                str(self.config_file),
                "-d",
                recipient,
                "-f",
                envelope.mail_from or "MAILER-DAEMON",
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            _out, errors = await process.communicate(envelope.original_content)
            if process.returncode == EX_NOUSER:
                return f"550 5.1.1 <{recipient}>: no such mailbox"
            if process.returncode != 0:
                detail = errors.decode(errors="replace").strip()[:200]
                return f"451 4.3.0 delivery to <{recipient}> failed: {detail}"
        self.received.append(envelope)
        return "250 OK"


@dataclass
class MailPeer:
    root: Path
    imap_port: int
    smtp_port: int
    passwords: dict[str, str]
    handler: DeliverToDovecot
    # Set when started with TLS: IMAPS and SMTPS ports, and the certificate to trust.
    imaps_port: int = 0
    smtps_port: int = 0
    certificate: str = ""
    smtp_logins: dict[str, str] = field(default_factory=dict)

    @property
    def answers(self) -> Answers:
        return self.handler.answers

    def submit(self, raw: bytes, *, sender: str, recipient: str) -> None:
        """Send a message as a citizen's mail program would: over SMTP."""
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as smtp:
            smtp.sendmail(sender, [recipient], raw)

    @contextlib.contextmanager
    def imap(self, user: str) -> Iterator[imaplib.IMAP4]:
        connection = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        try:
            connection.login(user, self.passwords[user])
            yield connection
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                connection.logout()

    def messages(self, user: str, mailbox: str = "INBOX") -> list[bytes]:
        """Every message in a mailbox, oldest first, without marking it read."""
        with self.imap(user) as connection:
            connection.select(mailbox, readonly=True)
            _status, answer = connection.uid("SEARCH", "ALL")
            uids = answer[0].split() if answer and answer[0] else []
            found = []
            for uid in uids:
                _status, data = connection.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
                found.extend(item[1] for item in data if isinstance(item, tuple))
            return found

    def wait_for(self, user: str, count: int, *, seconds: float = 10.0) -> list[bytes]:
        deadline = time.monotonic() + seconds
        while True:
            found = self.messages(user)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def renumber(self, user: str) -> None:
        """Make Dovecot hand out a new UIDVALIDITY for the user's INBOX, as after a restore."""
        local, _at, domain = user.partition("@")
        inbox = self.root / "store" / domain / local
        for index in [inbox / "dovecot-uidlist", *inbox.glob("dovecot.index*")]:
            index.unlink(missing_ok=True)


def _accounts(passwords: Mapping[str, str]) -> str:
    return "".join(f"{user}:{{PLAIN}}{password}\n" for user, password in passwords.items())


def _dovecot_conf(
    root: Path, *, imap_port: int, imaps_port: int, tls: bool, owner: tuple[int, int]
) -> str:
    uid, gid = owner
    rootless = os.geteuid() != 0
    # Without root Dovecot cannot chroot its login and anvil processes.
    no_chroot = ["  chroot ="] if rootless else []
    lines = [
        "protocols = imap",
        "listen = 127.0.0.1",
        f"base_dir = {root}/run",
        f"state_dir = {root}/state",
        f"log_path = {root}/dovecot.log",
        "disable_plaintext_auth = no",
        "auth_mechanisms = plain login",
        # No statistics: without this every process waits 5 s for the stats service on exit.
        "stats_writer_socket_path =",
        "auth_failure_delay = 0",  # a refused login answers at once
        f"mail_location = maildir:{root}/store/%d/%n",
        f"first_valid_uid = {uid}",
        f"first_valid_gid = {gid}",
        "passdb {",
        "  driver = passwd-file",
        f"  args = scheme=PLAIN username_format=%u {root}/users",
        "}",
        "userdb {",
        "  driver = static",
        f"  args = uid={uid} gid={gid} home={root}/store/%d/%n",
        "}",
        "service imap-login {",
        "  inet_listener imap {",
        "    address = 127.0.0.1",
        f"    port = {imap_port}",
        "  }",
        "  inet_listener imaps {",
        "    address = 127.0.0.1",
        f"    port = {imaps_port if tls else 0}",
        "  }",
        *no_chroot,
        "}",
        "service anvil {",
        *no_chroot,
        "}",
    ]
    if tls:
        lines += ["ssl = yes", f"ssl_cert = <{root}/cert.pem", f"ssl_key = <{root}/key.pem"]
    else:
        lines += ["ssl = no"]
    if rootless:
        # Without root Dovecot runs every process as the current user.
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        lines += [
            f"default_internal_user = {user}",
            f"default_internal_group = {group}",
            f"default_login_user = {user}",
        ]
    return "\n".join(lines) + "\n"


def make_certificate(root: Path) -> str:
    """A self-signed certificate for 127.0.0.1 (cert.pem, key.pem in `root`); its PEM."""
    openssl = shutil.which("openssl")
    if openssl is None:
        unavailable("openssl is missing: it makes the test certificate (Debian package openssl)")
    subprocess.run(  # noqa: S603 - a fixed program with fixed arguments
        [
            str(openssl),
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(root / "key.pem"),
            "-out",
            str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return (root / "cert.pem").read_text()


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"dovecot did not start listening on port {port}:\n{text}")


@dataclass
class SmtpPeer:
    handler: DeliverToDovecot
    smtp_port: int
    smtps_port: int = 0  # with TLS: implicit TLS (SMTPS); smtp_port then offers STARTTLS
    certificate: str = ""  # with TLS: the server's self-signed certificate, to trust

    @property
    def answers(self) -> Answers:
        return self.handler.answers

    @property
    def received(self) -> list[Any]:
        return self.handler.received


@contextlib.contextmanager
def running_smtp_peer(
    *,
    config_file: Path | None = None,
    tls_directory: Path | None = None,
    logins: Mapping[str, str] | None = None,
) -> Iterator[SmtpPeer]:
    """aiosmtpd on free loopback ports: plain SMTP (with STARTTLS when given a directory for a
    certificate, plus an SMTPS port), AUTH when given logins; delivering into Dovecot when
    given its configuration file."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    accounts = dict(logins or {})

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        known = isinstance(data, LoginPassword) and accounts.get(data.login.decode())
        # handled=False: aiosmtpd answers the refusal (535) itself.
        return AuthResult(success=bool(known) and known == data.password.decode(), handled=False)

    handler = DeliverToDovecot(config_file, Answers())
    certificate = ""
    server_tls: ssl.SSLContext | None = None
    if tls_directory is not None:
        certificate = make_certificate(tls_directory)
        server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_tls.load_cert_chain(tls_directory / "cert.pem", tls_directory / "key.pem")
    options: dict[str, Any] = {"auth_require_tls": False}
    if accounts:
        options["authenticator"] = authenticate
    smtp_port = free_port()
    controllers = [
        Controller(handler, hostname="127.0.0.1", port=smtp_port, tls_context=server_tls, **options)
    ]
    smtps_port = 0
    if server_tls is not None:
        smtps_port = free_port()
        controllers.append(
            Controller(
                handler, hostname="127.0.0.1", port=smtps_port, ssl_context=server_tls, **options
            )
        )
    started = []
    try:
        for controller in controllers:
            controller.start()
            started.append(controller)
        yield SmtpPeer(handler, smtp_port, smtps_port, certificate)
    finally:
        for controller in started:
            with contextlib.suppress(Exception):
                controller.stop()


@contextlib.contextmanager
def running_mail_peer(
    passwords: Mapping[str, str],
    *,
    tls: bool = False,
    smtp_logins: Mapping[str, str] | None = None,
) -> Iterator[MailPeer]:
    """Dovecot (IMAP, and IMAPS with `tls`) plus aiosmtpd (SMTP with STARTTLS and SMTPS with
    `tls`; AUTH when `smtp_logins` are given) on free loopback ports; stopped afterwards."""
    problem = missing_peer()
    if problem:
        unavailable(problem)
    # Not pytest's tmp_path: its parent directories are private to the user running the tests,
    # and Dovecot's unprivileged processes must reach the mail store and the password file.
    root = Path(tempfile.mkdtemp(prefix="loket-mail-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        account = pwd.getpwnam(MAIL_USER)
        owner = (account.pw_uid, account.pw_gid)
    else:
        owner = (os.getuid(), os.getgid())
    for directory in ("run", "state", "store"):
        (root / directory).mkdir()
    os.chown(root / "store", *owner)
    (root / "users").write_text(_accounts(passwords))
    imap_port, imaps_port = free_port(), free_port() if tls else 0
    config_file = root / "dovecot.conf"
    dovecot: subprocess.Popen[bytes] | None = None
    try:
        with running_smtp_peer(
            config_file=config_file, tls_directory=root if tls else None, logins=smtp_logins
        ) as smtp:
            config_file.write_text(
                _dovecot_conf(
                    root, imap_port=imap_port, imaps_port=imaps_port, tls=tls, owner=owner
                )
            )
            dovecot = subprocess.Popen(  # noqa: S603 - the installed Dovecot, our own config
                [DOVECOT, "-F", "-c", str(config_file)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _wait_until_listening(imap_port, dovecot, root / "dovecot.log")
            yield MailPeer(
                root=root,
                imap_port=imap_port,
                smtp_port=smtp.smtp_port,
                passwords=dict(passwords),
                handler=smtp.handler,
                imaps_port=imaps_port,
                smtps_port=smtp.smtps_port,
                certificate=smtp.certificate,
                smtp_logins=dict(smtp_logins or {}),
            )
    finally:
        if dovecot is not None:
            dovecot.terminate()
            try:
                dovecot.wait(timeout=10)
            except subprocess.TimeoutExpired:
                dovecot.kill()
                dovecot.wait()
        shutil.rmtree(root, ignore_errors=True)
