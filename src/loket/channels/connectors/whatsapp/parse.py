"""Raw WhatsApp Cloud API webhook body → InboundMessages. Pure: no database, no network.

`entry[].changes[]` with `field: "messages"` carry `value.messages[]` (what citizens sent)
and `value.statuses[]` (what became of what we sent: sent, delivered, read, failed). Statuses
are not citizen messages and give nothing here: a delivery with only statuses parses to an
empty list.

Text is taken as it is; other types become a short text saying what was sent (with the
caption, if any) plus Attachment metadata. Media are not downloaded (that needs the media id,
the token and the network); the attachment keeps the file name or the media id.
Reactions and system notices (a number change) are skipped.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from loket.channels.connectors.meta_common.payload import (
    Entry,
    Id,
    MetaModel,
    UnixTime,
    load_envelope,
    object_at,
    placeholder,
    validate,
)
from loket.channels.connectors.meta_common.windows import MESSAGE_TIME
from loket.channels.contracts import (
    Attachment,
    Author,
    ConversationKind,
    InboundMessage,
    Visibility,
)

MEDIA_TYPES = frozenset({"image", "audio", "video", "document", "sticker"})
SKIPPED_TYPES = frozenset({"reaction", "system", "request_welcome", "ephemeral"})
KIND = "whatsapp"


class Metadata(MetaModel):
    display_phone_number: str | None = None
    phone_number_id: Id


class Profile(MetaModel):
    name: str | None = None


class Contact(MetaModel):
    profile: Profile | None = None
    wa_id: Id


class Context(MetaModel):
    id: Id | None = None


class Text(MetaModel):
    body: str


class Media(MetaModel):
    id: Id | None = None
    mime_type: str | None = None
    caption: str | None = None
    filename: str | None = None
    voice: bool = False


class Location(MetaModel):
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


class WhatsAppMessage(MetaModel):
    sender: Id = Field(alias="from")
    id: Id
    timestamp: UnixTime
    type: str = "text"
    context: Context | None = None
    text: Text | None = None
    location: Location | None = None
    interactive: Any = None
    button: Any = None
    contacts: Any = None


class Value(MetaModel):
    metadata: Metadata
    contacts: list[Contact] = Field(default_factory=list)
    messages: list[Any] = Field(default_factory=list)


def parse(body: bytes) -> list[InboundMessage]:
    envelope = load_envelope(body, expected_object="whatsapp_business_account")
    found: list[InboundMessage] = []
    for entry_index, entry in enumerate(envelope.entry):
        for change_index, change in enumerate(entry.changes):
            if change.field != "messages":
                continue
            where = f"entry[{entry_index}].changes[{change_index}].value"
            found += _messages(entry, change.value, where)
    return found


def _messages(entry: Entry, raw: Any, where: str) -> list[InboundMessage]:
    data = object_at(raw, where)
    if not data.get("messages"):  # statuses only, or errors: nothing a citizen wrote
        return []
    value = validate(Value, data, where)
    names = {
        contact.wa_id: (contact.profile.name or "") if contact.profile else ""
        for contact in value.contacts
    }
    found = []
    for index, raw_message in enumerate(value.messages):
        message_at = f"{where}.messages[{index}]"
        message = validate(WhatsAppMessage, object_at(raw_message, message_at), message_at)
        if message.type in SKIPPED_TYPES:
            continue
        found.append(_message(value, message, raw_message, names, message_at))
    return found


def _message(
    value: Value,
    message: WhatsAppMessage,
    raw: dict[str, Any],
    names: dict[str, str],
    where: str,
) -> InboundMessage:
    phone_number_id = value.metadata.phone_number_id
    text, attachments = _content(message, raw, where)
    # contacts[] names the sender; WhatsApp may write the number differently there (country
    # rules), so a single contact is the sender's even when the numbers differ.
    name = names.get(message.sender) or (next(iter(names.values())) if len(names) == 1 else "")
    return InboundMessage(
        external_id=message.id,
        thread_id=f"{phone_number_id}:{message.sender}",
        kind=ConversationKind.PRIVATE,
        visibility=Visibility.PRIVATE,
        author=Author(external_id=message.sender, name=name[:200]),
        text=text,
        created_at=message.timestamp,
        in_reply_to=message.context.id if message.context else None,
        attachments=attachments,
        reply_context={
            "kind": KIND,
            "phone_number_id": phone_number_id,
            "wa_id": message.sender,
            "message_id": message.id,
            MESSAGE_TIME: message.timestamp.isoformat(),
        },
    )


def _content(
    message: WhatsAppMessage, raw: dict[str, Any], where: str
) -> tuple[str, tuple[Attachment, ...]]:
    kind = message.type
    if kind == "text":
        return (message.text.body if message.text else ""), ()
    if kind in MEDIA_TYPES:
        media = validate(Media, raw.get(kind) or {}, f"{where}.{kind}")
        label = "voice message" if kind == "audio" and media.voice else kind
        detail = (media.filename or "") if kind == "document" else ""
        text = placeholder(label, detail)
        if media.caption:
            text = f"{text} {media.caption}"
        attachment = Attachment(kind=kind, name=(media.filename or media.id or "")[:255])
        return text, (attachment,)
    if kind == "location" and message.location is not None:
        location = message.location
        spot = ", ".join(part for part in (location.name, location.address) if part)
        coordinates = f"{location.latitude:.6f},{location.longitude:.6f}"
        text = placeholder("location", f"{spot} ({coordinates})" if spot else coordinates)
        return text, (Attachment(kind="location", name=spot[:255], url=f"geo:{coordinates}"),)
    if kind == "interactive":
        return _choice(message.interactive), ()
    if kind == "button" and isinstance(message.button, dict):
        return str(message.button.get("text") or placeholder("button")), ()
    if kind == "contacts":
        return placeholder("contact card", _contact_names(message.contacts)), ()
    if kind == "unsupported":
        return placeholder("a message type WhatsApp does not pass on"), ()
    return placeholder(f"{kind[:40]} message"), ()


def _choice(interactive: Any) -> str:
    """The title of the button or list item the citizen tapped."""
    if isinstance(interactive, dict):
        for key in ("button_reply", "list_reply"):
            chosen = interactive.get(key)
            if isinstance(chosen, dict) and isinstance(chosen.get("title"), str):
                return chosen["title"]
    return placeholder("choice")


def _contact_names(contacts: Any) -> str:
    names = []
    if isinstance(contacts, list):
        for contact in contacts:
            name = contact.get("name") if isinstance(contact, dict) else None
            formatted = name.get("formatted_name") if isinstance(name, dict) else None
            if isinstance(formatted, str):
                names.append(formatted)
    return ", ".join(names)[:200]
