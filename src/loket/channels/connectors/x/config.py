"""Settings of one X profile."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr, model_validator

DEFAULT_API_BASE_URL = "https://api.x.com"


class XConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The profile's own numeric user id: the mentions timeline is read by it, and whatever
    # it wrote itself is recognised by it (the echo guard).
    user_id: str = Field(pattern=r"^[0-9]{1,20}$")
    # "webhook": X pushes to /hooks/x/<account> (Account Activity API or X Activity API);
    # "polling": Loket fetches mentions and DMs itself, for apps without webhook access.
    mode: Literal["webhook", "polling"] = "webhook"
    api_base_url: HttpUrl = HttpUrl(DEFAULT_API_BASE_URL)
    timeout_seconds: float = Field(10.0, gt=0, le=60)

    # User context, one of two ways. OAuth 1.0a (consumer key here, consumer secret as the
    # profile's secret, plus the profile's access token and token secret) does not expire.
    consumer_key: str = Field("", max_length=200)
    access_token: SecretStr | None = None
    access_token_secret: SecretStr | None = None
    # An OAuth 2.0 user-context access token. X lets these expire after two hours unless
    # they are refreshed, which Loket cannot do for it: a 401 marks the profile unhealthy.
    user_access_token: SecretStr | None = None

    # What polling fetches; switch DMs off for an app that lacks DM access.
    poll_mentions: bool = True
    poll_direct_messages: bool = True

    @model_validator(mode="after")
    def _credentials_are_complete(self) -> XConfig:
        oauth1 = [bool(self.consumer_key), bool(self.access_token), bool(self.access_token_secret)]
        if any(oauth1) and not all(oauth1):
            raise ValueError(
                "OAuth 1.0a needs consumer_key, access_token and access_token_secret together"
            )
        if self.mode == "polling" and not self.has_user_credentials:
            raise ValueError(
                "polling needs user credentials: OAuth 1.0a keys or a user_access_token"
            )
        return self

    @property
    def uses_oauth1(self) -> bool:
        return bool(self.consumer_key and self.access_token and self.access_token_secret)

    @property
    def has_user_credentials(self) -> bool:
        return self.uses_oauth1 or self.user_access_token is not None

    def url(self, path: str) -> str:
        return str(self.api_base_url).rstrip("/") + path
