"""The default triage: transparent rules, no model. Good enough to sort an inbox from day one;
the learned classifiers replace the parts they do better, measured by `loket eval`."""

from __future__ import annotations

import re
import unicodedata

from stdnum import iban
from stdnum.be import nn

from loket.triage.contracts import MessageType, Sentiment, TriageResult

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# Frequent function words per language; a message is in the language whose words it uses most.
STOPWORDS = {
    "nl": set(
        "de het een en van ik je jij u uw is dat die niet op te met voor zijn er maar om "
        "wat ook nog wel al bij dit naar heb hebt heeft wij we zij hoe waar wanneer mijn "
        "kan kunnen moet geen deze mag graag bedankt dag goedemorgen".split()
    ),
    "fr": set(
        "le la les un une et de des du je tu il elle nous vous est sont pas que qui pour "
        "dans sur avec ce cette mais ou où quand comment mon ma mes votre vos merci "
        "bonjour au aux ne plus peut".split()
    ),
    "en": set(
        "the a an and of to is are i you he she we they it that this not for on with "
        "but or when where how my your can could please thanks thank hello is was".split()
    ),
    "de": set(
        "der die das und ist nicht ich sie wir ein eine zu mit auf für von dem den "
        "wie wo wann mein danke bitte hallo guten".split()
    ),
}
# One- and two-word messages are too short to guess from; these settle them.
SHORT_MESSAGES = {
    "bedankt": "nl",
    "dankjewel": "nl",
    "dankuwel": "nl",
    "merci": "fr",
    "thanks": "en",
    "thank you": "en",
    "danke": "de",
    "dank u": "nl",
    "dank je": "nl",
    "merci beaucoup": "fr",
    "bonjour": "fr",
    "hallo": "nl",
    "goeiedag": "nl",
    "goedendag": "nl",
    "super": "",
    "top": "",
    "ok": "",
    "oké": "nl",
}

QUESTION_OPENERS = re.compile(
    r"^(wanneer|waar|hoe|wat|waarom|wie|welke|kan|kunnen|mag|moet|is|zijn|heeft|hebben|"
    r"quand|où|comment|pourquoi|quel|quelle|est-ce|puis-je|peut-on|"
    r"when|where|how|what|why|who|which|can|could|is|are|do|does)\b",
    re.IGNORECASE,
)
PATTERNS: dict[MessageType, re.Pattern[str]] = {
    MessageType.SPAM_ABUSE: re.compile(
        r"\b(klootzak\w*|idioten|idioot|kanker\w*|debiel\w*|connard\w*|putain|"
        r"fuck\w*|idiots?|bitcoin|crypto ?win|gratis iphone|click here|klik hier)\b",
        re.IGNORECASE,
    ),
    MessageType.REPORT: re.compile(
        r"\b(put|putten|gat|kapot\w*|stuk|defect\w*|sluikstort\w*|zwerfvuil|afval|"
        r"straatlamp\w*|verlichting|lantaarnpaal|wateroverlast|omgevallen|boom|"
        r"nid[- ]de[- ]poule|cassée?|panne|déchets|pothole|broken|street ?light|litter)\b",
        re.IGNORECASE,
    ),
    MessageType.COMPLAINT: re.compile(
        r"\b(klacht\w*|schandalig|belachelijk|onaanvaardbaar|nog steeds niet|al weken|"
        r"niemand antwoordt|slecht\w*|plainte|inadmissible|scandaleux|toujours pas|"
        r"complaint|unacceptable|disgrace\w*|still not|terrible)\b",
        re.IGNORECASE,
    ),
    MessageType.COMPLIMENT: re.compile(
        r"\b(bedankt|dankjewel|dank u|proficiat|top|fantastisch|goed gedaan|chapeau|"
        r"merci|bravo|félicitations|thanks|thank you|great job|well done)\b",
        re.IGNORECASE,
    ),
    MessageType.OPINION: re.compile(
        r"\b(ik vind|volgens mij|het beleid|de gemeente zou|moeten jullie|ik ben tegen|"
        r"ik ben voor|je pense|à mon avis|i think|in my opinion)\b",
        re.IGNORECASE,
    ),
}
URGENT = re.compile(
    r"\b(brand|ontploffing|gaslek|gasgeur|overstroming|levensgevaar\w*|gewond\w*|"
    r"ongeval|zelfmoord|suïcid\w*|ik wil niet meer leven|bedreig\w*|"
    r"incendie|fuite de gaz|blessé|suicide|fire|gas leak|injured|threat\w*)\b",
    re.IGNORECASE,
)
NEGATIVE = re.compile(
    r"\b(slecht|schandalig|boos|kwaad|belachelijk|jammer|teleurgesteld|nooit|"
    r"mauvais|honte|déçu|bad|angry|disappointed|never)\b",
    re.IGNORECASE,
)
POSITIVE = re.compile(
    r"\b(bedankt|dank|super|top|fijn|goed|proficiat|merci|bravo|génial|thanks|great|good)\b",
    re.IGNORECASE,
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
PHONE = re.compile(r"(?<!\d)(?:\+32|0032|0)\s?(?:4\d{2}|\d{1,2})(?:[\s./-]?\d{2}){3}(?!\d)")
NATIONAL_NUMBER = re.compile(r"(?<!\d)\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}(?!\d)")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")


def normalise(text: str) -> str:
    """NFC, without control characters (but keeping line breaks)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def detect_language(text: str, default: str) -> str:
    words = [word.lower() for word in WORD.findall(text)]
    if len(words) <= 2:
        return SHORT_MESSAGES.get(" ".join(words), default) or default
    scores = {lang: sum(word in stop for word in words) for lang, stop in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] >= 2 else default


def personal_data(text: str) -> tuple[str, ...]:
    found = []
    if any(nn.is_valid(m.group()) for m in NATIONAL_NUMBER.finditer(text)):
        found.append("national_number")
    if any(iban.is_valid(m.group()) for m in IBAN.finditer(text)):
        found.append("iban")
    if PHONE.search(text):
        found.append("phone")
    if EMAIL.search(text):
        found.append("email")
    return tuple(found)


def message_type(text: str) -> MessageType:
    for kind in (MessageType.SPAM_ABUSE, MessageType.REPORT, MessageType.COMPLAINT):
        if PATTERNS[kind].search(text):
            return kind
    if "?" in text or QUESTION_OPENERS.search(text.strip()):
        return MessageType.QUESTION
    for kind in (MessageType.COMPLIMENT, MessageType.OPINION):
        if PATTERNS[kind].search(text):
            return kind
    return MessageType.OTHER


def sentiment(text: str) -> Sentiment:
    score = len(POSITIVE.findall(text)) - len(NEGATIVE.findall(text))
    if score > 0:
        return Sentiment.POSITIVE
    if score < 0:
        return Sentiment.NEGATIVE
    return Sentiment.NEUTRAL


def triage(text: str, *, default_language: str = "nl") -> TriageResult:
    return TriageResult(
        language=detect_language(text, default_language),
        message_type=message_type(text),
        sentiment=sentiment(text),
        urgent=bool(URGENT.search(text)),
        personal_data=personal_data(text),
    )
