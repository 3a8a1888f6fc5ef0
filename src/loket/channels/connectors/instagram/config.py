"""Settings of one Instagram professional account."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, HttpUrl, SecretStr, model_validator

from loket.channels.connectors.meta_common.settings import MetaSettings

GRAPH_INSTAGRAM = "https://graph.instagram.com"


class InstagramConfig(MetaSettings):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The Instagram professional account's id (the `id` of webhook entries).
    ig_user_id: str = Field(pattern=r"^[0-9]{1,40}$")
    # "instagram": Instagram API with Instagram Login (an Instagram user token, calls to
    # graph.instagram.com). "facebook": with Facebook Login through the linked Facebook Page
    # (a Page token, calls to graph.facebook.com, DMs sent as the page).
    login: Literal["instagram", "facebook"] = "instagram"
    access_token: SecretStr = Field(min_length=1)
    # Only with Facebook Login: the Facebook Page linked to the Instagram account.
    page_id: str | None = Field(None, pattern=r"^[0-9]{1,40}$")
    graph_api_base: HttpUrl = HttpUrl(GRAPH_INSTAGRAM)

    @model_validator(mode="before")
    @classmethod
    def _graph_host_follows_the_login(cls, data: object) -> object:
        if (
            isinstance(data, dict)
            and data.get("login") == "facebook"
            and not data.get("graph_api_base")
        ):
            return {**data, "graph_api_base": "https://graph.facebook.com"}
        return data

    @model_validator(mode="after")
    def _facebook_login_needs_the_page(self) -> InstagramConfig:
        if self.login == "facebook" and not self.page_id:
            raise ValueError("page_id is required with Facebook Login")
        return self

    @property
    def messaging_node(self) -> str:
        """Who sends DMs and private replies: the account, or its page with Facebook Login."""
        return self.page_id if self.login == "facebook" and self.page_id else self.ig_user_id
