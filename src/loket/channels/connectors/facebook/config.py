"""Settings of one Facebook Page profile."""

from __future__ import annotations

from pydantic import ConfigDict, Field, SecretStr

from loket.channels.connectors.meta_common.settings import MetaSettings


class FacebookConfig(MetaSettings):
    model_config = ConfigDict(extra="forbid", frozen=True)

    page_id: str = Field(pattern=r"^[0-9]{1,40}$")
    # A long-lived Page access token (from a system user, so it does not expire with a
    # person's login) with pages_manage_engagement, pages_messaging, pages_read_engagement.
    page_access_token: SecretStr = Field(min_length=1)
