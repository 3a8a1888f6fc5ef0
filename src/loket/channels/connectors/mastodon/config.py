"""Settings of one Mastodon profile."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    SecretStr,
    field_validator,
    model_validator,
)

# Plain http would send the bearer token in clear; it is allowed only towards this machine
# (a test server, a tunnel).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# The Mastodon software's own default; instances can raise it
# (`configuration.statuses.max_characters` in `GET /api/v2/instance`).
DEFAULT_MAX_CHARACTERS = 500


class MastodonConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The server the profile lives on. Every Mastodon server is its own platform: there is
    # no central API, so there is no default.
    instance_url: HttpUrl
    # A user token of the profile with the scopes `read:notifications` and `write:statuses`.
    access_token: SecretStr
    # Who the profile is on its server: the username (`stadvoorbeeld`, also accepted as
    # `@stadvoorbeeld@mastodon.example`) and/or the numeric account id. Used to recognise
    # the profile's own posts and to take its @mention off the front of a citizen's message.
    acct: str = Field("", max_length=200)
    account_id: str = Field("", max_length=200, pattern=r"^[0-9A-Za-z_-]*$")
    # The widest visibility of a public reply; a reply is never wider than the citizen's
    # own post (Mastodon's own composer makes the same choice).
    reply_visibility: Literal["public", "unlisted", "private"] = "unlisted"
    max_characters: int = Field(DEFAULT_MAX_CHARACTERS, ge=100, le=100_000)
    timeout_seconds: float = Field(10.0, gt=0, le=60)

    @field_validator("instance_url")
    @classmethod
    def _https_unless_local(cls, value: HttpUrl) -> HttpUrl:
        if value.scheme != "https" and value.host not in LOOPBACK_HOSTS:
            raise ValueError("must be an https:// address")
        return value

    @field_validator("acct")
    @classmethod
    def _username_only(cls, value: str) -> str:
        # The profile is local to its own server, where its acct is the bare username.
        return value.strip().lstrip("@").split("@", 1)[0]

    @model_validator(mode="after")
    def _knows_itself(self) -> MastodonConfig:
        if not self.acct and not self.account_id:
            raise ValueError("give the profile's username (acct) or its account id")
        return self

    @property
    def api_base(self) -> str:
        return str(self.instance_url).rstrip("/")
