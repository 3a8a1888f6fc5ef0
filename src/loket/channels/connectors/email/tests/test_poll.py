"""Polling a real Dovecot IMAP server on loopback: the UID cursor, UIDVALIDITY changes, batches,
refused logins, unreachable servers and TLS."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from loket.channels.connectors.email.connector import EmailConnector
from loket.channels.connectors.email.imap import bodies_of_fetch, parse_cursor
from loket.channels.connectors.email.parse import parse
from loket.channels.connectors.email.tests.mailpeer import (
    MailPeer,
    free_port,
    running_mail_peer,
    unavailable,
)
from loket.channels.contracts import AccountContext, PollResult

CITY = "info@stadvoorbeeld.be"
CITIZEN = "jef.vermeulen@voorbeeldmail.be"
PASSWORDS = {CITY: "imap-geheim", CITIZEN: "burger-geheim"}


@pytest.fixture
def peer() -> Iterator[MailPeer]:
    with running_mail_peer(PASSWORDS) as running:
        yield running


def citizen_mail(number: int, *, size: int = 0) -> bytes:
    filler = "Lange uitleg over de situatie in de straat.\r\n" * (size // 45)
    return (
        f"From: Jef Vermeulen <{CITIZEN}>\r\nTo: {CITY}\r\n"
        f"Subject: Vraag {number}\r\nMessage-ID: <vraag-{number}@voorbeeldmail.be>\r\n"
        f"Date: Fri, 28 Nov 2026 09:{number:02d}:00 +0100\r\n\r\n"
        f"Wanneer wordt het grofvuil opgehaald? ({number})\r\n{filler}\r\n"
    ).encode()


def mailbox_settings(peer: MailPeer, **overrides: Any) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": peer.imap_port,
        "security": "none",
        "username": CITY,
        "password": PASSWORDS[CITY],
        "smtp_host": "127.0.0.1",
        "smtp_port": peer.smtp_port,
        "smtp_security": "none",
        "from_address": CITY,
        "timeout_seconds": 5,
        **overrides,
    }


def poll(peer: MailPeer, cursor: str = "", **overrides: Any) -> PollResult:
    account = AccountContext(
        public_id="0b5e1c1e-0000-4000-8000-000000000001",
        config=mailbox_settings(peer, **overrides),
        secret="",
    )
    return EmailConnector().poll(account=account, cursor=cursor)


def deliver(peer: MailPeer, *numbers: int) -> None:
    """Citizen mail through SMTP; stored by the time the server says 250."""
    for number in numbers:
        peer.submit(citizen_mail(number), sender=CITIZEN, recipient=CITY)


def test_new_mail_is_fetched_once_and_the_cursor_moves(peer: MailPeer) -> None:
    deliver(peer, 1, 2)
    first = poll(peer)
    assert not first.auth_error
    validity, last = parse_cursor(first.cursor)
    assert validity is not None
    assert last == 2
    assert [d.key for d in first.deliveries] == [f"INBOX:{validity}:1", f"INBOX:{validity}:2"]
    [message] = parse(first.deliveries[0].body)
    assert message.external_id == "<vraag-1@voorbeeldmail.be>"
    assert message.author.external_id == CITIZEN
    assert not message.is_echo
    # "UID SEARCH UID 3:*" answers UID 2 (the highest in use): it must not come back.
    again = poll(peer, first.cursor)
    assert again.deliveries == ()
    assert again.cursor == first.cursor
    deliver(peer, 3)
    third = poll(peer, again.cursor)
    assert [d.key for d in third.deliveries] == [f"INBOX:{validity}:3"]
    assert third.cursor == f"{validity}:3"


def test_polling_leaves_the_mailbox_as_it_was(peer: MailPeer) -> None:
    deliver(peer, 1)
    poll(peer)
    with peer.imap(CITY) as imap:
        imap.select("INBOX", readonly=True)
        _status, unseen = imap.search(None, "UNSEEN")
    assert unseen[0].split() == [b"1"]  # still unread for the people using the mailbox


def test_a_batch_at_a_time(peer: MailPeer) -> None:
    deliver(peer, 1, 2, 3, 4, 5)
    cursor, keys = "", []
    sizes = []
    for _ in range(4):
        result = poll(peer, cursor, batch_size=2)
        sizes.append(len(result.deliveries))
        keys += [d.key.rsplit(":", 1)[1] for d in result.deliveries]
        cursor = result.cursor
    assert sizes == [2, 2, 1, 0]
    assert keys == ["1", "2", "3", "4", "5"]


def test_a_new_uidvalidity_reads_the_mailbox_again_with_new_keys(peer: MailPeer) -> None:
    deliver(peer, 1, 2)
    before = poll(peer)
    peer.renumber(CITY)
    after = poll(peer, before.cursor)
    old_validity, _ = parse_cursor(before.cursor)
    new_validity, last = parse_cursor(after.cursor)
    assert new_validity != old_validity
    assert last == 2
    assert [d.key for d in after.deliveries] == [
        f"INBOX:{new_validity}:1",
        f"INBOX:{new_validity}:2",
    ]
    # Same mail, same Message-IDs: the intake knows them already.
    assert [parse(d.body)[0].external_id for d in after.deliveries] == [
        parse(d.body)[0].external_id for d in before.deliveries
    ]


@pytest.mark.parametrize("cursor", ["", "garbage", "12:", ":7", "1:2:3"])
def test_a_missing_or_damaged_cursor_starts_from_the_beginning(peer: MailPeer, cursor: str) -> None:
    deliver(peer, 1)
    assert len(poll(peer, cursor).deliveries) == 1


def test_a_big_message_is_stored_cut_off(peer: MailPeer) -> None:
    peer.submit(citizen_mail(1, size=150_000), sender=CITIZEN, recipient=CITY)
    peer.wait_for(CITY, 1)
    [delivery] = poll(peer, max_message_bytes=64_000).deliveries
    assert 64_000 <= len(delivery.body) < 64_200  # plus Loket's trace header
    [message] = parse(delivery.body)
    assert message.text.startswith("Wanneer wordt het grofvuil opgehaald? (1)")


def test_a_folder_with_a_space_in_its_name(peer: MailPeer) -> None:
    with peer.imap(CITY) as imap:
        imap.create('"Loket burgers"')
        imap.append('"Loket burgers"', None, None, citizen_mail(7))
    result = poll(peer, mailbox="Loket burgers")
    assert [d.key.split(":")[0] for d in result.deliveries] == ["Loket burgers"]


def test_a_refused_login_marks_the_profile(peer: MailPeer) -> None:
    result = poll(peer, "5:3", password="fout")
    assert "login" in result.auth_error
    assert CITY in result.auth_error
    assert result.cursor == "5:3"
    assert result.deliveries == ()


def test_a_missing_folder_marks_the_profile(peer: MailPeer) -> None:
    result = poll(peer, mailbox="Bestaat niet")
    assert "Bestaat niet" in result.auth_error


def test_a_server_without_starttls_marks_the_profile(peer: MailPeer) -> None:
    assert "STARTTLS" in poll(peer, security="starttls").auth_error


def test_an_unreachable_server_is_tried_again_next_time() -> None:
    account = AccountContext(
        public_id="x",
        config={
            "host": "127.0.0.1",
            "port": free_port(),
            "security": "none",
            "username": CITY,
            "password": "x",
            "smtp_host": "127.0.0.1",
            "from_address": CITY,
        },
        secret="",
    )
    result = EmailConnector().poll(account=account, cursor="9:4")
    assert (result.deliveries, result.cursor, result.auth_error) == ((), "9:4", "")
    assert "ConnectionRefusedError" in result.transient_error  # passing: the profile stays healthy


def test_broken_settings_are_reported_not_raised() -> None:
    account = AccountContext(public_id="x", config={"host": "mail.stadvoorbeeld.be"}, secret="")
    assert "settings" in EmailConnector().poll(account=account, cursor="").auth_error


@pytest.fixture
def tls_peer() -> Iterator[MailPeer]:
    if shutil.which("openssl") is None:
        unavailable("openssl is missing: it makes the test certificate (Debian package openssl)")
    with running_mail_peer(PASSWORDS, tls=True) as running:
        yield running


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_with_the_organisations_certificate(tls_peer: MailPeer, security: str) -> None:
    deliver(tls_peer, 1)
    port = tls_peer.imaps_port if security == "ssl" else tls_peer.imap_port
    trusted = poll(tls_peer, port=port, security=security, tls_ca_certificates=tls_peer.certificate)
    assert len(trusted.deliveries) == 1, trusted.auth_error
    untrusted = poll(tls_peer, port=port, security=security)
    assert "not trusted" in untrusted.auth_error


# imaplib's FETCH answers, as servers shape them.


def test_fetch_answers_with_the_uid_before_or_after_the_body() -> None:
    before = [(b"1 (UID 41 BODY[] {5}", b"hallo"), b")", (b"2 (UID 42 BODY[] {3}", b"dag"), b")"]
    after = [(b"1 (BODY[] {5}", b"hallo"), b" UID 41)", (b"2 (BODY[] {3}", b"dag"), b" UID 42)"]
    noise = [b"3 (FLAGS (\\Seen))", *before]
    assert bodies_of_fetch(before) == bodies_of_fetch(after) == {41: b"hallo", 42: b"dag"}
    assert bodies_of_fetch(noise) == {41: b"hallo", 42: b"dag"}
    assert bodies_of_fetch([None, b")", (b"x", None)]) == {}


def test_the_imap_search_quirk_is_real(peer: MailPeer) -> None:
    """What the cursor logic guards against, shown on the real server."""
    deliver(peer, 1)
    with peer.imap(CITY) as imap:
        imap.select("INBOX", readonly=True)
        _status, answer = imap.uid("SEARCH", "UID", "50:*")
    assert re.findall(rb"\d+", answer[0]) == [b"1"]
