"""Settings of one e-mail profile: the IMAP mailbox Loket reads, the SMTP server it sends with."""

from __future__ import annotations

import ipaddress
import re
import ssl
from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

# "ssl": TLS from the first byte (IMAPS 993, SMTPS 465); "starttls": upgrade a plain connection
# (IMAP 143, submission 587); "none": no encryption, only towards a server on this machine.
Security = Literal["ssl", "starttls", "none"]

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


PEM_CERTIFICATE = re.compile(
    r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.DOTALL
)


def _pem(text: str) -> str:
    """PEM certificates laid out again: a one-line text field loses the line breaks."""
    blocks = []
    for body in PEM_CERTIFICATE.findall(text):
        data = "".join(body.split())
        lines = [data[start : start + 64] for start in range(0, len(data), 64)]
        blocks.append(
            "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----"])
        )
    return "\n".join(blocks) + "\n" if blocks else text


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class EmailConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Incoming: IMAP.
    host: str = Field(min_length=1, max_length=253)
    port: int = Field(993, ge=1, le=65535)
    security: Security = "ssl"
    username: str = Field(min_length=1, max_length=320)
    password: SecretStr
    # At most 150 characters: "<mailbox>:<UIDVALIDITY>:<UID>" must fit the ledger's 200.
    mailbox: str = Field("INBOX", min_length=1, max_length=150)
    # How many new messages one poll fetches at most; the rest follow on the next polls.
    batch_size: int = Field(50, ge=1, le=500)
    # Larger messages are stored cut off at this size: headers and text survive, the tail of
    # big attachments (which Loket does not keep anyway) does not.
    max_message_bytes: int = Field(10_000_000, ge=64_000, le=50_000_000)

    # Outgoing: SMTP submission.
    smtp_host: str = Field(min_length=1, max_length=253)
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Security = "starttls"
    # Empty: no login (a relay that trusts Loket's server by its address).
    smtp_username: str = Field("", max_length=320)
    smtp_password: SecretStr | None = None
    from_address: str = Field(min_length=3, max_length=254)
    from_name: str = Field("", max_length=100)
    # The right-hand side of the Message-IDs Loket gives its replies; empty: from_address's domain.
    message_id_domain: str = Field("", max_length=253)

    # Certificates (PEM) of the organisation's own certificate authority, trusted next to the
    # system's, for mail servers with an internal certificate.
    tls_ca_certificates: str = Field("", max_length=100_000)
    timeout_seconds: float = Field(30.0, gt=0, le=120)

    @field_validator("host", "smtp_host", "message_id_domain")
    @classmethod
    def _plain_host_name(cls, value: str) -> str:
        value = value.strip()
        if any(char.isspace() or char in "/@<>[]\"'" for char in value):
            raise ValueError("a host or domain name, without scheme, path or spaces")
        return value

    @field_validator("mailbox")
    @classmethod
    def _ascii_mailbox(cls, value: str) -> str:
        # Non-ASCII folder names travel in modified UTF-7 over IMAP; Loket does not encode them.
        if not value.isascii() or not value.isprintable():
            raise ValueError("use a folder name in plain ASCII (for example INBOX or Loket)")
        return value

    @field_validator("from_address")
    @classmethod
    def _single_address(cls, value: str) -> str:
        value = value.strip()
        if not value.isascii():
            raise ValueError("internationalised addresses are not supported; use an ASCII address")
        try:
            address = Address(addr_spec=value)
        except (HeaderParseError, ValueError, IndexError) as error:
            raise ValueError(f"not an e-mail address: {error}") from None
        if not address.username or not address.domain or "." not in address.domain:
            raise ValueError("an address such as loket@gemeente.be")
        return address.addr_spec.lower()

    @field_validator("from_name")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if not value.isprintable():
            raise ValueError("one line of printable text")
        return value.strip()

    @field_validator("tls_ca_certificates")
    @classmethod
    def _loadable_certificates(cls, value: str) -> str:
        if not value.strip():
            return ""
        value = _pem(value)
        try:
            ssl.create_default_context().load_verify_locations(cadata=value)
        except (ssl.SSLError, ValueError) as error:
            raise ValueError(f"not PEM certificates: {error}") from None
        return value

    @model_validator(mode="after")
    def _no_cleartext_passwords_over_the_network(self) -> Self:
        if self.security == "none" and not is_loopback(self.host):
            raise ValueError(
                "security 'none' sends the IMAP password unencrypted; it is only allowed for a "
                "server on this machine: use 'ssl' or 'starttls'"
            )
        if self.smtp_security == "none" and self.smtp_username and not is_loopback(self.smtp_host):
            raise ValueError(
                "smtp_security 'none' with a login sends the password unencrypted; use 'ssl' or "
                "'starttls', or leave smtp_username empty for a relay without login"
            )
        if self.smtp_username and self.smtp_password is None:
            raise ValueError("smtp_password is required with smtp_username")
        return self

    @property
    def reply_domain(self) -> str:
        return self.message_id_domain or self.from_address.rpartition("@")[2]
