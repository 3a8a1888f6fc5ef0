"""The default triage every new organisation gets: the built-in detectors of this package
(language, message type, urgency, sentiment, personal data, abuse), each measured with
`loket eval`. Transparent rules and lexicons, no model trained on anyone's messages."""

from __future__ import annotations

import unicodedata

from loket.triage.contracts import MessageType, Sentiment, TriageResult


def normalise(text: str) -> str:
    """NFC, without control characters (but keeping line breaks)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def triage(text: str, *, default_language: str = "nl") -> TriageResult:
    """Every label the intake gives a message, from the built-in detectors."""
    from loket.triage import abuse, language, message_type, personal_data, urgency

    lang = language.detect_language(text, default=_known(default_language))
    kind = message_type.message_type(text)
    found = abuse.abuse(text, lang or "nl")
    # Hate, and insults or threats aimed at the reader (our staff), are marked as abuse;
    # an insult about third parties ("die vandalen") leaves a report a report.
    if found.is_abusive and (found.kind == abuse.AbuseKind.HATE or found.target == "you"):
        kind = MessageType.SPAM_ABUSE
    alarm = urgency.assess(text)
    return TriageResult(
        language=lang,
        message_type=kind,
        sentiment=_sentiment(text, lang),
        # A threat against our staff is a safety matter for the coordinator, now.
        urgent=alarm.urgent or (found.kind == abuse.AbuseKind.THREAT and found.target == "you"),
        personal_data=personal_data.kinds(text),
        abuse=found.kind.value if found.is_abusive and found.kind else "",
        helpline=alarm.helpline or "",
    )


def _known(default_language: str) -> str:
    from loket.triage.language import LANGUAGES

    return default_language if default_language in LANGUAGES else ""


def _sentiment(text: str, lang: str) -> Sentiment:
    from loket.triage import sentiment as sentiment_model

    return sentiment_model.sentiment(text, lang or "nl")
