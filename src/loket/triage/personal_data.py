"""Personal data in a citizen message: find it, name its kind, mask it.

Kinds (the names `TriageResult.personal_data` uses):

- ``national_number``: a Belgian national register number (rijksregisternummer), 11 digits with
  or without the usual dots and dash, and only with a valid check number (python-stdnum's
  ``stdnum.be.nn``, which knows the check for births from 2000 on);
- ``bis_number``: a Belgian BIS number, same shape, valid per ``stdnum.be.bis``;
- ``iban``: an IBAN of any country with a valid check (``stdnum.iban``), spaced or not;
- ``phone``: a phone number that the ``phonenumbers`` library holds valid: Belgian numbers in
  national form (``0471 23 45 67``, ``09/123.45.67``) and any number in international form
  (``+31 6 12345678``, ``0033 6 12 34 56 78``, ``+49 30 1234567``);
- ``email``: an e-mail address;
- ``address``: a street and house number (``Kerkstraat 12``, ``Grote Markt 1 bus 3``,
  ``rue de la Station 14``, ``12 Church Street``) or a postcode with a place
  (``9000 Gent``, ``2225 AB Katwijk``). A heuristic: it errs on the side of masking.

A random run of 11 digits is not a national number: numbers are only flagged with a valid check.

`mask` replaces each finding with a language-neutral token, ``[national_number]``, ``[iban]``…
(see `MASKS`): logs, analytics and exports stay readable in any language, and the interface
translates the token when it shows one.

Plain Python, no Django: `loket eval` and the intake pipeline both use it. ``phonenumbers`` is
imported on first use only, because it is the slowest import here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from stdnum import iban as stdnum_iban
from stdnum.be import bis as stdnum_bis
from stdnum.be import nn as stdnum_nn

if TYPE_CHECKING:
    from types import ModuleType

# The order in which `kinds` names what it found.
KINDS: Final = ("national_number", "bis_number", "iban", "phone", "email", "address")
MASKS: Final = {kind: f"[{kind}]" for kind in KINDS}


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    start: int
    end: int


EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.IGNORECASE)
# The two letters and two check digits an IBAN starts with; the rest is read group by group.
IBAN_START = re.compile(r"\b[A-Z]{2}\d{2}\b|\b[A-Z]{2}\d{2}(?=[0-9A-Z])", re.IGNORECASE)
IBAN_GROUP = re.compile(r"[ ]?([0-9A-Z]{1,4})", re.IGNORECASE)
NATIONAL_NUMBER = re.compile(
    r"(?<![\d.,/-])\d{2}\.?\d{2}\.?\d{2}[-. ]?\d{3}[. ]?\d{2}(?!\d|[.,/-]\d)"
)
# A run of digits with the separators people put in phone numbers; checked by phonenumbers.
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d ./()-]{6,20}\d(?!\d)")
PHONE_MIN_DIGITS = 9

_STREET_SUFFIX = (
    r"straat|laan|plein|steenweg|dreef|weg|lei|kaai|kade|singel|dijk|markt|baan|vest|vesten|"
    r"gracht|pad|hof|berg|dries|wal|veld|park|brug"
)
_PARTICLE = r"(?:van|de|der|den|ten|ter|het|la|le|du|des|sint|st\.?)"
_NAME_WORD = r"[A-ZÀ-Þ][\w'’.-]*"
# Capitalised words that start a sentence rather than a street name ("Op Kerkstraat 3").
_NOT_A_NAME = (
    r"(?!(?:Op|Ook|In|Aan|Bij|Naast|Voor|Achter|Tegenover|Hoek|Ter|Richting|Bewoner|Meneer"
    r"|Mevrouw|Melder|Ik|We|Wij|Er|Een|Thv|Nabij|Via|Langs|Sinds)\b)"
)
_HOUSE_NUMBER = r"\d{1,4}(?:[ ]?[a-zA-Z](?![\w]))?(?:[ ]?(?:bus|bte|boîte|/)[ ]?\d{1,4}[a-zA-Z]?)?"
ADDRESS_NL = re.compile(
    # Up to three capitalised words or particles before a street word: "Oude Gentweg",
    # "Burgemeester van Gansberghelaan". The street word itself may be written in lower case.
    rf"(?:{_NOT_A_NAME}{_NAME_WORD}[ ](?:{_PARTICLE}[ ])?){{0,3}}"
    rf"(?P<street>[A-Za-zÀ-ÿ][\w'’-]*(?:{_STREET_SUFFIX})|{_NAME_WORD}[ ](?i:{_STREET_SUFFIX}))"
    rf"[ ]+{_HOUSE_NUMBER}(?!\d|[.,]\d)",
)
ADDRESS_FR = re.compile(
    r"(?:\b\d{1,4}[a-z]?,?[ ])?"
    r"\b(?:rue|avenue|av\.|chaussée|chaussee|boulevard|bd|place|chemin|allée|quai|impasse|"
    r"square|clos|drève|sentier)[ ]+(?:(?:de[ ]la|de[ ]l['’]|du|des|de|d['’])[ ]?)?"
    rf"{_NAME_WORD}(?:[ ](?:{_PARTICLE}[ ])?{_NAME_WORD}){{0,3}}(?:,?[ ]{_HOUSE_NUMBER})?",
    re.IGNORECASE,
)
ADDRESS_EN = re.compile(
    rf"\b\d{{1,4}}[a-z]?[ ](?:{_NAME_WORD}[ ]){{1,3}}"
    r"(?:Street|St\.|Road|Rd\.?|Avenue|Ave\.?|Lane|Square|Place|Drive|Close|Way)\b",
)
POSTCODE_PLACE = re.compile(
    r"(?<![\d.,/-])(?:[1-9]\d{3}(?:[ ]?[A-Z]{2}(?![\w]))?)[ ]+"
    r"(?!(?:De|Het|Een|Ik|We|Wij|Er|In|Op|Dit|Dat|Om|Tot|En|Le|La|Les|Un|Une|The|A|An|I)\b)"
    r"[A-ZÀ-Þ][a-zß-ÿ'’-][\w'’-]*(?:[ -](?:aan[ ](?:de|den)[ ]|an[ ]der[ ])?[A-ZÀ-Þ][\w'’-]+)?"
)
NUMBER = re.compile(r"\d+")
# Words with a street suffix that name a kind of way, not a street ("het zebrapad 2 keer").
COMMON_WAYS = frozenset(
    "zebrapad fietspad voetpad wandelpad ruiterpad jaagpad tuinpad fietsstraat schoolstraat "
    "speelstraat winkelstraat zijstraat zijweg rijweg snelweg autoweg oprit parkeerplaats "
    "speelplein marktplein stadspark fietsbrug voetgangersbrug".split()
)
NON_DIGIT = re.compile(r"\D+")
FR_STREET_WORDS = (
    "rue",
    "avenue",
    "av.",
    "chauss",
    "boulevard",
    "bd ",
    "place",
    "chemin",
    "allée",
    "allee",
    "quai",
    "impasse",
    "square",
    "clos",
    "drève",
    "dreve",
    "sentier",
)
# A four-digit year before a capitalised word is not a postcode ("sinds 2019 Stad …").
YEAR_BEFORE = re.compile(r"\b(?:in|sinds|tot|van|jaar|anno|en|since|until|en|depuis)[ ]+$", re.I)

_phonenumbers: ModuleType | None = None


def _phonenumbers_module() -> ModuleType:
    global _phonenumbers
    if _phonenumbers is None:
        import phonenumbers

        _phonenumbers = phonenumbers
    return _phonenumbers


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _national_numbers(text: str) -> list[Finding]:
    found = []
    for match in NATIONAL_NUMBER.finditer(text):
        digits = _digits(match.group())
        if stdnum_nn.is_valid(digits):
            found.append(Finding("national_number", match.start(), match.end()))
        elif stdnum_bis.is_valid(digits):
            found.append(Finding("bis_number", match.start(), match.end()))
    return found


def _ibans(text: str) -> list[Finding]:
    found = []
    position = 0
    while match := IBAN_START.search(text, position):
        groups = []
        end = match.end()
        while group := IBAN_GROUP.match(text, end):
            groups.append((group.group(1), group.end()))
            end = group.end()
            if len(groups) == 8:  # the longest IBANs have 34 characters
                break
        # Longest valid prefix: a word after the number ("BE68 5390 0754 7034 voor") is no part.
        for count in range(len(groups), 0, -1):
            candidate = match.group() + "".join(part for part, _ in groups[:count])
            if stdnum_iban.is_valid(candidate):
                found.append(Finding("iban", match.start(), groups[count - 1][1]))
                position = groups[count - 1][1]
                break
        else:
            position = match.end()
    return found


def _phones(text: str) -> list[Finding]:
    found = []
    for match in PHONE.finditer(text):
        candidate = match.group().rstrip(".-/ (")
        digits = _digits(candidate)
        international = candidate.startswith(("+", "00"))
        if len(digits) < PHONE_MIN_DIGITS or not (international or candidate.startswith("0")):
            continue
        phonenumbers = _phonenumbers_module()
        try:
            number = phonenumbers.parse(
                "+" + digits[2:] if candidate.startswith("00") else candidate, "BE"
            )
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            found.append(Finding("phone", match.start(), match.start() + len(candidate)))
    return found


def _addresses(text: str) -> list[Finding]:
    found = []
    # A street address ends in a house number: look only around the numbers in the text.
    for number in NUMBER.finditer(text):
        left = max(0, number.start() - 80)
        for match in ADDRESS_NL.finditer(text, left, number.end() + 16):
            if match.group("street").lower() in COMMON_WAYS:
                continue
            if match.start() <= number.start() < match.end():
                found.append(Finding("address", match.start(), match.end()))
                break
    found += [Finding("address", m.start(), m.end()) for m in ADDRESS_EN.finditer(text)]
    lowered = text.lower()
    if any(word in lowered for word in FR_STREET_WORDS):
        for match in ADDRESS_FR.finditer(text):
            # "rue de la Station" names a street, not where someone lives: a number is needed.
            if any(ch.isdigit() for ch in match.group()):
                found.append(Finding("address", match.start(), match.end()))
    for match in POSTCODE_PLACE.finditer(text):
        year = match.group()[:4]
        if "1900" <= year <= "2099" and YEAR_BEFORE.search(text, 0, match.start()):
            continue
        found.append(Finding("address", match.start(), match.end()))
    return found


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Earlier kinds in the list win; touching addresses ("Kerkstraat 1, 9000 Gent") merge."""
    kept: list[Finding] = []
    for finding in findings:
        if not any(finding.start < other.end and other.start < finding.end for other in kept):
            kept.append(finding)
    kept.sort(key=lambda f: f.start)
    merged: list[Finding] = []
    for finding in kept:
        if merged and finding.kind == "address" == merged[-1].kind:
            previous = merged[-1]
            if finding.start - previous.end <= 2:
                merged[-1] = Finding("address", previous.start, max(previous.end, finding.end))
                continue
        merged.append(finding)
    return merged


def find(text: str) -> list[Finding]:
    """Every piece of personal data in the text, in reading order, without overlaps."""
    findings = (
        [Finding("email", m.start(), m.end()) for m in EMAIL.finditer(text)] if "@" in text else []
    )
    digits = len(NON_DIGIT.sub("", text))
    if digits >= PHONE_MIN_DIGITS:  # IBANs, national numbers and phone numbers all have more
        findings += _ibans(text)
        findings += _national_numbers(text)
        findings += _phones(text)
    if digits:
        findings += _addresses(text)
    return _without_overlaps(findings)


def kinds(text: str) -> tuple[str, ...]:
    """The kinds found, each once, in the order of `KINDS`."""
    present = {finding.kind for finding in find(text)}
    return tuple(kind for kind in KINDS if kind in present)


def mask(text: str) -> str:
    """The text with every finding replaced by its token, e.g. ``[phone]``."""
    parts = []
    position = 0
    for finding in find(text):
        parts.append(text[position : finding.start])
        parts.append(MASKS[finding.kind])
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)
