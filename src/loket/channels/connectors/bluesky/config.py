"""Settings of one Bluesky profile."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr

DEFAULT_SERVICE_URL = "https://bsky.social"


class BlueskyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The PDS the profile logs in to (its own, or bsky.social's entryway, which forwards).
    service_url: HttpUrl = HttpUrl(DEFAULT_SERVICE_URL)
    # The profile's handle (e.g. stadvoorbeeld.bsky.social) or its DID.
    handle: str = Field(min_length=3, max_length=253)
    # An app password (Settings → Privacy and security → App passwords), never the main one.
    app_password: SecretStr
    timeout_seconds: float = Field(10.0, gt=0, le=60)
    # Pages of up to 100 notifications fetched per poll while looking for the last one seen.
    max_pages: int = Field(10, ge=1, le=50)
    # Mark notifications as seen on Bluesky after each poll. Off by default: the team may also
    # use the Bluesky app, and its unread counter is theirs.
    mark_seen: bool = False

    @property
    def base_url(self) -> str:
        return str(self.service_url).rstrip("/")
