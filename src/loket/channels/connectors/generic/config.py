"""Settings of one generic webhook account."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class GenericConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Where replies are POSTed; empty: replies stay in Loket, marked as not deliverable.
    callback_url: HttpUrl | None = None
    timeout_seconds: float = Field(10.0, gt=0, le=60)
