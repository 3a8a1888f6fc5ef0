"""Settings of one WhatsApp business phone number."""

from __future__ import annotations

from pydantic import ConfigDict, Field, SecretStr

from loket.channels.connectors.meta_common.settings import MetaSettings


class WhatsAppConfig(MetaSettings):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The business number's id in the Cloud API (not the phone number itself).
    phone_number_id: str = Field(pattern=r"^[0-9]{1,40}$")
    # A system user's permanent token with whatsapp_business_messaging.
    access_token: SecretStr = Field(min_length=1)
    # Quote the citizen's message in each reply (WhatsApp's contextual reply).
    quote_replies: bool = False
