"""The envelope Meta wraps around every webhook delivery, and the small types its payloads use.

`{"object": "page" | "instagram" | "whatsapp_business_account", "entry": [{"id": …, "time": …,
"changes": [{"field": …, "value": {…}}], "messaging": [{…}]}]}`. One delivery can carry many
entries, each with many changes or messaging events; every element counts.

Pure: no database, no network. Every failure is a `PayloadError` that says where.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from loket.channels.contracts import PayloadError

# Unix times before 2000 or after 2100 are not a platform's clock but a broken payload.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC).timestamp()
LATEST = datetime(2100, 1, 1, tzinfo=UTC).timestamp()
# Meta mixes seconds (feed, WhatsApp) and milliseconds (Messenger); a value this large can
# only be milliseconds.
MILLISECONDS_FROM = 1e11


def _unix_time(value: object) -> datetime:
    """Seconds or milliseconds since 1970 (a number or a string of digits), or an ISO 8601
    time with a zone."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("must be a Unix time")
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 16:
            value = int(text)
        else:
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError("must be a Unix time or an ISO 8601 time") from None
            if parsed.tzinfo is None:
                raise ValueError("needs a time zone")
            value = parsed.timestamp()
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    seconds = value / 1000 if value > MILLISECONDS_FROM else value
    if not EARLIEST <= seconds <= LATEST:
        raise ValueError("is not a plausible time")
    return datetime.fromtimestamp(seconds, tz=UTC)


# Ids are strings in Meta's JSON; numbers are accepted too (see MetaModel).
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
UnixTime = Annotated[datetime, BeforeValidator(_unix_time)]


class MetaModel(BaseModel):
    """Lenient about what it does not know (Meta adds fields), strict about what it uses."""

    model_config = ConfigDict(
        extra="ignore", coerce_numbers_to_str=True, frozen=True, populate_by_name=True
    )


class Change(MetaModel):
    field: str
    value: Any = None


class Entry(MetaModel):
    id: Id
    time: UnixTime | None = None
    changes: list[Change] = Field(default_factory=list)
    messaging: list[Any] = Field(default_factory=list)


class Envelope(MetaModel):
    object: str
    entry: list[Entry] = Field(min_length=1)


def validate[Model: BaseModel](model: type[Model], data: Any, where: str) -> Model:
    """`data` as `model`, or a PayloadError naming the first wrong field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"]
        )
        raise PayloadError(f"{where}{path}: {first['msg']}") from None


def load_envelope(body: bytes, *, expected_object: str) -> Envelope:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise PayloadError(f"body is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise PayloadError("body must be a JSON object")
    envelope = validate(Envelope, data, "body")
    if envelope.object != expected_object:
        raise PayloadError(f"object must be {expected_object!r}, not {envelope.object!r}")
    return envelope


def object_at(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{where}: must be a JSON object")
    return value


def safe_url(value: Any) -> str:
    """A media URL from the payload, kept as metadata only when it is plain https."""
    if isinstance(value, str) and value.startswith("https://") and len(value) <= 2000:
        return value
    return ""


def placeholder(kind: str, detail: str = "") -> str:
    """The text of a message that has no text of its own: what was sent, in brackets."""
    return f"[{kind}: {detail}]" if detail else f"[{kind}]"


# ---------------------------------------------------------------------------------------
# One Meta app delivers for all its pages to one URL: the parts of a delivery per profile.


def split_by_entry(body: bytes, *, expected_object: str) -> list[tuple[str, bytes]]:
    """Parts per entry id: the page (or Instagram account) each entry is for."""
    envelope = load_envelope(body, expected_object=expected_object)
    raw_entries = json.loads(body)["entry"]
    groups: dict[str, list[Any]] = {}
    for raw, entry in zip(raw_entries, envelope.entry, strict=True):
        groups.setdefault(entry.id, []).append(raw)
    return _parts(body, envelope.object, groups)


def split_by_change(body: bytes, *, expected_object: str, key_of: Any) -> list[tuple[str, bytes]]:
    """Parts per profile named inside each change (WhatsApp's metadata.phone_number_id);
    `key_of(change value)` gives the key, "" when it names none."""
    envelope = load_envelope(body, expected_object=expected_object)
    raw_entries = json.loads(body)["entry"]
    groups: dict[str, list[Any]] = {}
    for raw in raw_entries:
        for change in raw.get("changes") or []:
            value = change.get("value") if isinstance(change, dict) else None
            key = key_of(value) if isinstance(value, dict) else ""
            part = groups.setdefault(key, [])
            if part and part[-1]["id"] == raw.get("id"):
                part[-1]["changes"].append(change)
            else:
                part.append({**raw, "changes": [change]})
    return _parts(body, envelope.object, groups)


def _parts(body: bytes, kind: str, groups: dict[str, list[Any]]) -> list[tuple[str, bytes]]:
    if len(groups) <= 1:  # the usual case: the raw bytes as they came
        return [(next(iter(groups), ""), body)]
    return [
        (key, json.dumps({"object": kind, "entry": entries}, separators=(",", ":")).encode())
        for key, entries in groups.items()
    ]
