"""What triage says about a message, as it crosses into the inbox."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MessageType(StrEnum):
    QUESTION = "question"
    COMPLAINT = "complaint"
    REPORT = "report"  # a problem in public space
    COMPLIMENT = "compliment"
    OPINION = "opinion"  # policy voice, for participation
    SPAM_ABUSE = "spam_abuse"
    OTHER = "other"


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


@dataclass(frozen=True)
class TriageResult:
    language: str  # nl, fr, en, de, or "" when unknown
    message_type: MessageType
    sentiment: Sentiment
    urgent: bool
    # kinds found: national_number, bis_number, iban, phone, email, address
    personal_data: tuple[str, ...]
    topic: str = ""
    abuse: str = ""  # insult, threat or hate; "" when none
    helpline: str = ""  # a helpline to show the agent (1813 on signs of self-harm)
