"""Settings every Meta profile has: the webhook's verify token and how to reach the Graph API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr, ValidationError

from loket.channels.connectors.meta_common.graph import GraphClient, failed
from loket.channels.contracts import DeliveryReceipt

GRAPH_FACEBOOK = "https://graph.facebook.com"
# A Graph API version lives about two years; the profile's setting moves it forward.
DEFAULT_GRAPH_VERSION = "v24.0"


class MetaSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Typed into the App Dashboard next to the callback URL; Meta sends it back in the
    # verification request (hub.verify_token).
    verify_token: SecretStr = Field(min_length=8, max_length=200)
    graph_api_base: HttpUrl = HttpUrl(GRAPH_FACEBOOK)
    graph_api_version: str = Field(DEFAULT_GRAPH_VERSION, pattern=r"^v[0-9]{1,3}\.[0-9]$")
    timeout_seconds: float = Field(10.0, gt=0, le=60)
    # Sign every call with appsecret_proof (HMAC of the token with the app secret); needed
    # when the app requires it ("Require App Secret" in the App Dashboard).
    appsecret_proof: bool = True

    def graph(self, *, access_token: SecretStr, app_secret: str) -> GraphClient:
        return GraphClient(
            base_url=str(self.graph_api_base),
            version=self.graph_api_version,
            access_token=access_token.get_secret_value(),
            app_secret=app_secret,
            timeout_seconds=self.timeout_seconds,
            send_appsecret_proof=self.appsecret_proof,
        )


def load_settings[Settings: MetaSettings](
    model: type[Settings], config: Mapping[str, Any]
) -> Settings | DeliveryReceipt:
    """The profile's settings, or a failed receipt saying what is wrong with them."""
    try:
        return model.model_validate(dict(config))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        return failed(f"the profile's settings are not valid: {where}: {first['msg']}")
