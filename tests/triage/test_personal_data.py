"""Personal data in citizen messages: found by kind, checked numbers only, masked with tokens.

The numbers here are made up; the national and BIS numbers carry a valid check number
(computed as the national register does), the IBANs a valid IBAN check.
"""

from __future__ import annotations

import itertools

import pytest
from stdnum.be import bis, nn

from loket.triage import personal_data
from loket.triage.personal_data import Finding, find, kinds, mask

NATIONAL_NUMBER = "85.07.30-033.28"  # born 1985
BORN_AFTER_2000 = "10.12.24-123.62"  # born 2010: the check number includes a leading 2
BIS_NUMBER = "90.23.15-001.48"  # month + 20: a BIS number
IBAN_BE = "BE70 0635 3970 7025"


def test_the_made_up_numbers_are_valid() -> None:
    assert nn.is_valid(NATIONAL_NUMBER)
    assert nn.is_valid(BORN_AFTER_2000)
    assert bis.is_valid(BIS_NUMBER)


@pytest.mark.parametrize(
    "text",
    [
        f"Mijn rijksregisternummer is {NATIONAL_NUMBER}, graag snel antwoord.",
        "rijksregisternummer 85073003328",
        "RRN: 850730 033 28.",
        f"Mijn dochter ({BORN_AFTER_2000}) is geboren in 2010",
        "nummer van mijn zoon: 10122412362",
    ],
)
def test_a_national_number_with_a_valid_check(text: str) -> None:
    assert kinds(text) == ("national_number",)


@pytest.mark.parametrize(
    "text",
    [
        "85.07.30-033.29",  # one off in the check number
        "10.12.24-123.61",  # one off for a birth in 2010
        "12345678901",  # eleven digits, no valid check
        "Factuurnummer 20240117001",
        "Bedrag 1.250.000,00 euro",
    ],
)
def test_numbers_without_a_valid_check_are_not_flagged(text: str) -> None:
    assert "national_number" not in kinds(text)
    assert "bis_number" not in kinds(text)


def test_the_century_is_part_of_the_check() -> None:
    # 10.12.24-123.33 is someone born on 24 December 1910, a real possibility.
    assert kinds("10.12.24-123.33") == ("national_number",)


def test_a_bis_number_is_its_own_kind() -> None:
    assert kinds(f"BIS-nummer {BIS_NUMBER}") == ("bis_number",)
    assert kinds("90231500148") == ("bis_number",)


@pytest.mark.parametrize(
    "text",
    [
        f"Stort op {IBAN_BE} voor vrijdag",
        "iban be70063539707025.",
        "NL91ABNA0417164300",
        "DE89 3704 0044 0532 0130 00 (Duitse rekening)",
    ],
)
def test_an_iban_of_any_country_with_a_valid_check(text: str) -> None:
    assert kinds(text) == ("iban",)


def test_an_iban_stops_where_the_number_stops() -> None:
    text = f"Stort op {IBAN_BE} voor vrijdag"
    [finding] = find(text)
    assert text[finding.start : finding.end] == IBAN_BE


def test_an_iban_with_a_wrong_check_is_not_flagged() -> None:
    assert kinds("BE71 0635 3970 7025") == ()


@pytest.mark.parametrize(
    "text",
    [
        "Bel me op 0471 23 45 67",
        "gsm 0471/23.45.67",
        "+32 471 23 45 67",
        "tel. 09 265 83 00",
        "Mijn Nederlandse nummer: +31 6 12345678",
        "en in Frankrijk 0033 6 12 34 56 78",
        "Duitsland: +49 30 1234567",
    ],
)
def test_phone_numbers(text: str) -> None:
    assert kinds(text) == ("phone",)


@pytest.mark.parametrize(
    "text",
    ["op 12/03/2024 om 14u30", "01/03/2024", "bel 112!", "Lichtmast 28", "0800 00 000"],
)
def test_dates_and_short_numbers_are_not_phone_numbers(text: str) -> None:
    assert "phone" not in kinds(text)


def test_email() -> None:
    text = "Mail naar jan.peeters+loket@voorbeeld.be."
    assert kinds(text) == ("email",)
    assert mask(text) == "Mail naar [email]."


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("Ik woon in de Kerkstraat 12, graag terugbellen", "Kerkstraat 12"),
        (
            "adres: Burgemeester Van Gansberghelaan 10 bus 3",
            "Burgemeester Van Gansberghelaan 10 bus 3",
        ),
        ("op de Grote Markt 1", "Grote Markt 1"),
        ("Oude Gentweg 45a", "Oude Gentweg 45a"),
        ("kapotte lamp aan de molenstraat 7", "molenstraat 7"),
        ("Heidebeekse Steenweg 120", "Heidebeekse Steenweg 120"),
        ("Je vis rue de la Station 14", "rue de la Station 14"),
        ("14 rue Neuve, au deuxième", "14 rue Neuve"),
        ("I live at 12 Church Street", "12 Church Street"),
    ],
)
def test_street_addresses(text: str, street: str) -> None:
    [finding] = find(text)
    assert finding.kind == "address"
    assert text[finding.start : finding.end] == street


def test_a_postcode_with_its_place_is_an_address_and_joins_the_street() -> None:
    assert mask("Kerkstraat 12, 9000 Gent") == "[address]"
    assert mask("Ik woon in 9000 Gent") == "Ik woon in [address]"
    assert mask("Meirbrug 1, 2000 Antwerpen") == "[address]"
    assert mask("Postadres: 2225 AB Katwijk") == "Postadres: [address]"


@pytest.mark.parametrize(
    "text",
    [
        "Lichtmast 28 brandt niet",
        "parkeervak 5 en 6",
        "sinds 2019 Stad Voorbeeld",
        "rue de la Station",  # a street without a number is no one's address
        "De container aan de Kerkstraat is vol",
    ],
)
def test_no_address_without_a_street_and_number(text: str) -> None:
    assert "address" not in kinds(text)


def test_kinds_are_named_once_in_a_fixed_order() -> None:
    text = (
        f"Ik ben Jan, {NATIONAL_NUMBER}, mail jan@voorbeeld.be of bel 0471 23 45 67; "
        f"rekening {IBAN_BE}; Kerkstraat 12; tweede gsm 0472 11 22 33"
    )
    assert kinds(text) == ("national_number", "iban", "phone", "email", "address")
    assert personal_data.KINDS[:2] == ("national_number", "bis_number")


def test_mask_replaces_every_finding_with_its_token() -> None:
    text = f"RRN {NATIONAL_NUMBER}, gsm 0471 23 45 67, rekening {IBAN_BE}."
    assert mask(text) == "RRN [national_number], gsm [phone], rekening [iban]."


def test_findings_are_in_reading_order_without_overlaps() -> None:
    text = "bel 0471 23 45 67 of mail a@b.be"
    found = find(text)
    assert [f.kind for f in found] == ["phone", "email"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert isinstance(found[0], Finding)


@pytest.mark.parametrize("text", ["", "Bedankt!", "ok", "Lamp kapot", "12"])
def test_short_messages_without_personal_data(text: str) -> None:
    assert find(text) == []
    assert mask(text) == text
