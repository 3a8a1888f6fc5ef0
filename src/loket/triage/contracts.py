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
    personal_data: tuple[str, ...]  # kinds found: national_number, iban, phone, email
    topic: str = ""
