"""Settings of one web form profile."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from pydantic import BaseModel, ConfigDict, Field, field_validator

# The languages the form is offered in; the first is the default.
LANGUAGES = ("nl", "fr", "en")
# An origin as CSP's frame-ancestors takes it: scheme, host and optional port, nothing else.
# Anything looser (a path, a quote, a semicolon, a wildcard) could rewrite the policy header.
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_ORIGIN = re.compile(rf"https?://{_LABEL}(\.{_LABEL})*(:\d{{1,5}})?")


class WebformConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The heading of the form per language (empty: "Contact <organisation>") and a short
    # introduction above it (empty: none). Flat fields, so that the profile registry's
    # settings form can show them.
    title_nl: str = Field("", max_length=200)
    title_fr: str = Field("", max_length=200)
    title_en: str = Field("", max_length=200)
    intro_nl: str = Field("", max_length=2000)
    intro_fr: str = Field("", max_length=2000)
    intro_en: str = Field("", max_length=2000)
    # Without an address nobody can be answered; some organisations therefore require one.
    email_required: bool = False
    # An automatic e-mail that the message arrived, with its reference (never its content).
    send_confirmation: bool = True
    # Websites that may show the form in an iframe (`?embed=1`), e.g. "https://www.voorbeeld.be".
    embed_origins: tuple[str, ...] = Field((), max_length=20)
    # The organisation's privacy statement, linked next to the consent box.
    privacy_url: str = Field("", max_length=500)
    # The From address of confirmations and replies (display name: the organisation);
    # empty: the installation's DEFAULT_FROM_EMAIL.
    sender_address: str = Field("", max_length=254)
    # Where a citizen's answer to our e-mail goes, e.g. the organisation's e-mail profile.
    reply_to: str = Field("", max_length=254)

    def title(self, language: str) -> str:
        return str(getattr(self, f"title_{language}", "")).strip()

    def intro(self, language: str) -> str:
        return str(getattr(self, f"intro_{language}", "")).strip()

    @field_validator("embed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if isinstance(value, str):  # one origin, or several separated by spaces or commas
            value = [part for part in re.split(r"[\s,]+", value) if part]
        if not isinstance(value, list | tuple):
            return value
        origins = []
        for origin in value:
            if not isinstance(origin, str):
                raise ValueError("each origin is a string such as https://www.voorbeeld.be")
            cleaned = origin.strip().rstrip("/").lower()
            if not _ORIGIN.fullmatch(cleaned):
                raise ValueError(
                    f"{origin!r} is not an origin: give scheme and host only, "
                    "e.g. https://www.voorbeeld.be"
                )
            if cleaned not in origins:
                origins.append(cleaned)
        return tuple(origins)

    @field_validator("privacy_url")
    @classmethod
    def _privacy_url(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                URLValidator(schemes=["https", "http"])(value)
            except DjangoValidationError:
                raise ValueError(
                    "needs a full web address, e.g. https://www.voorbeeld.be/privacy"
                ) from None
        return value

    @field_validator("sender_address", "reply_to")
    @classmethod
    def _address(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError(f"{value!r} is not an e-mail address") from None
        return value
