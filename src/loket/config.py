"""Loket's configuration, read once from the environment and validated.

Every setting is a `LOKET_…` variable (plus the conventional `DATABASE_URL`);
`docs/configuration.md` documents them and `loket.env.example` is a template. A malformed
value stops start-up with a message that names the variable; outside demo mode unsafe
defaults are refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Self

from django.core.exceptions import ImproperlyConfigured
from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "LOKET_"
# Only ever acceptable in demo mode and tests; production refuses it.
DEMO_SECRET_KEY = "loket-demo-secret-key-not-for-production"  # noqa: S105

CommaList = Annotated[list[str], NoDecode]


class ConfigurationError(ImproperlyConfigured):
    """A setting is missing, malformed or unsafe; the message names the variable."""


class LoketConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", case_sensitive=False, frozen=True
    )

    demo: bool = Field(False, description="Demo mode: demo cast, default secret, plain HTTP.")
    debug: bool = Field(False, description="Django DEBUG; never outside demo mode.")
    secret_key: SecretStr = Field(
        SecretStr(""), description="Signs sessions and tokens; required outside demo mode."
    )
    host: str = Field("127.0.0.1", description="Address `loket serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `loket serve` listens on.")
    allowed_hosts: CommaList = Field(
        default_factory=lambda: ["127.0.0.1", "localhost"],
        description="Host names this instance answers to, comma-separated.",
    )
    csrf_trusted_origins: CommaList = Field(
        default_factory=list, description="Origins allowed to POST, e.g. https://loket.example.be."
    )
    https: bool = Field(
        True, description="Served behind HTTPS: secure cookies, HSTS, redirect. Off in demo mode."
    )
    data_dir: Path = Field(Path("var"), description="Where the SQLite database and uploads live.")
    database_url: str = Field(
        "",
        validation_alias=AliasChoices("DATABASE_URL", "LOKET_DATABASE_URL"),
        description="Database URL; empty means SQLite in the data directory.",
    )
    time_zone: str = Field("Europe/Brussels", description="Time zone for display and clocks.")
    web_workers: int = Field(2, ge=1, le=64, description="Web server processes.")
    login_failure_limit: int = Field(
        5, ge=1, le=100, description="Failed logins before a user+address is locked out."
    )
    login_cooloff_minutes: int = Field(15, ge=1, le=24 * 60, description="Lock-out duration.")
    oidc_client_id: str = Field("", description="OpenID Connect client id; empty disables OIDC.")
    oidc_client_secret: SecretStr = Field(SecretStr(""), description="OpenID Connect secret.")
    oidc_authorization_endpoint: str = ""
    oidc_token_endpoint: str = ""
    oidc_userinfo_endpoint: str = ""
    oidc_jwks_endpoint: str = ""
    oidc_sign_algo: Literal["RS256", "HS256", "ES256"] = "RS256"
    oidc_scopes: str = "openid email profile"
    oidc_login_label: str = Field(
        "", description="Label of the single sign-on button; empty: a translated default."
    )
    encryption_keys: CommaList = Field(
        default_factory=list,
        description="Fernet keys for credentials at rest, newest first; empty: derived from the "
        "secret key. Keep old keys listed until `loket channels reencrypt` has run.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    email_host: str = Field(
        "",
        description="SMTP server for Loket's own mail (form confirmations, form replies); "
        "empty: localhost:25, or the console in demo mode.",
    )
    email_port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    email_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="STARTTLS on the port, TLS from the start, or neither."
    )
    email_username: str = ""
    email_password: SecretStr = SecretStr("")
    email_from: str = Field("loket@localhost", description="Sender address of Loket's own mail.")
    email_timeout_seconds: int = Field(15, ge=1, le=120, description="SMTP timeout.")

    @field_validator("allowed_hosts", "csrf_trusted_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("encryption_keys")
    @classmethod
    def _fernet_keys(cls, keys: list[str]) -> list[str]:
        import base64
        import binascii

        for key in keys:
            try:
                valid = len(base64.urlsafe_b64decode(key.encode())) == 32
            except (binascii.Error, ValueError):
                valid = False
            if not valid:
                raise ValueError(
                    "each key must be 32 url-safe base64-encoded bytes; generate one with: "
                    'python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"'
                )
        return keys

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite://", "postgres://", "postgresql://")):
            raise ValueError("only sqlite:// and postgres(ql):// URLs are supported")
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Self:
        if self.demo:
            return self
        if self.debug:
            raise _unsafe("LOKET_DEBUG", "DEBUG must be off outside demo mode (LOKET_DEMO=1)")
        key = self.secret_key.get_secret_value()
        if not key or key == DEMO_SECRET_KEY:
            raise _unsafe(
                "LOKET_SECRET_KEY",
                "set a long random secret key (outside demo mode the default is refused); "
                'generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"',
            )
        if len(key) < 50 or len(set(key)) < 5:
            raise _unsafe(
                "LOKET_SECRET_KEY", "the secret key must be at least 50 varied characters"
            )
        oidc = [
            self.oidc_authorization_endpoint,
            self.oidc_token_endpoint,
            self.oidc_userinfo_endpoint,
            self.oidc_jwks_endpoint,
        ]
        if self.oidc_client_id and not all(oidc):
            raise _unsafe(
                "LOKET_OIDC_CLIENT_ID",
                "OIDC needs LOKET_OIDC_AUTHORIZATION_ENDPOINT, _TOKEN_ENDPOINT, "
                "_USERINFO_ENDPOINT and _JWKS_ENDPOINT as well",
            )
        return self

    @property
    def effective_secret_key(self) -> str:
        return self.secret_key.get_secret_value() or DEMO_SECRET_KEY

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_client_id)

    @property
    def serves_https(self) -> bool:
        return self.https and not self.demo


class _UnsafeSetting(ValueError):
    def __init__(self, variable: str, message: str) -> None:
        super().__init__(message)
        self.variable = variable


def _unsafe(variable: str, message: str) -> _UnsafeSetting:
    return _UnsafeSetting(variable, message)


def _variable_name(location: tuple[int | str, ...]) -> str:
    field = str(location[0]) if location else ""
    if field == "database_url":
        return "DATABASE_URL"
    return f"{ENV_PREFIX}{field.upper()}"


def load_config() -> LoketConfig:
    """Read and validate the environment; raise ConfigurationError naming the variable."""
    try:
        return LoketConfig()
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            cause = (detail.get("ctx") or {}).get("error")
            if isinstance(cause, _UnsafeSetting):
                problems.append(f"{cause.variable}: {cause}")
                continue
            given = detail.get("input")
            secret = "secret" in _variable_name(detail["loc"]).lower()
            shown = f" (got {given!r})" if isinstance(given, str | int) and not secret else ""
            message = detail["msg"].removeprefix("Value error, ")
            problems.append(f"{_variable_name(detail['loc'])}: {message}{shown}")
        raise ConfigurationError("invalid configuration: " + "; ".join(problems)) from None
