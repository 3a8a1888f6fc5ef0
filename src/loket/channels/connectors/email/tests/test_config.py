"""The settings of an e-mail profile refuse what would leak a password or break a header."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from loket.channels.connectors.email.config import EmailConfig
from loket.channels.connectors.email.tests.mailpeer import make_certificate, unavailable

MINIMAL = {
    "host": "imap.stadvoorbeeld.be",
    "username": "info@stadvoorbeeld.be",
    "password": "imap-geheim",
    "smtp_host": "smtp.stadvoorbeeld.be",
    "from_address": "Info@StadVoorbeeld.be",
}


def config(**overrides: Any) -> EmailConfig:
    return EmailConfig.model_validate({**MINIMAL, **overrides})


def test_sensible_defaults() -> None:
    settings = config()
    assert (settings.port, settings.security, settings.mailbox) == (993, "ssl", "INBOX")
    assert (settings.smtp_port, settings.smtp_security) == (587, "starttls")
    assert settings.from_address == "info@stadvoorbeeld.be"
    assert settings.reply_domain == "stadvoorbeeld.be"
    assert config(message_id_domain="loket.stadvoorbeeld.be").reply_domain == (
        "loket.stadvoorbeeld.be"
    )
    assert "imap-geheim" not in repr(settings)


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"security": "none"}, "unencrypted"),
        ({"smtp_security": "none", "smtp_username": "loket", "smtp_password": "x"}, "unencrypted"),
        ({"smtp_username": "loket"}, "smtp_password"),
        ({"from_address": "geen adres"}, "from_address"),
        ({"from_address": "a@b.be, c@d.be"}, "from_address"),
        ({"from_name": "Stad\r\nBcc: x@y.be"}, "from_name"),
        ({"mailbox": "Bürgers"}, "mailbox"),
        ({"host": "imaps://imap.stadvoorbeeld.be"}, "host"),
        ({"tls_ca_certificates": "-----BEGIN CERTIFICATE-----\nxx\n"}, "PEM"),
        ({"api_key": "x"}, "api_key"),
        ({"password": None}, "password"),
    ],
)
def test_refused_settings_say_what_is_wrong(overrides: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        config(**overrides)


def test_unencrypted_is_allowed_on_this_machine_and_for_a_relay_without_login() -> None:
    assert config(host="127.0.0.1", security="none").security == "none"
    assert config(host="localhost", security="none", smtp_host="::1", smtp_security="none")
    assert config(smtp_security="none").smtp_username == ""


def test_certificates_pasted_without_line_breaks_still_load(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        unavailable("openssl is missing: it makes the test certificate (Debian package openssl)")
    pem = make_certificate(tmp_path)
    flattened = pem.replace("\n", "")
    assert config(tls_ca_certificates=flattened).tls_ca_certificates == pem
