"""The abuse detector and `loket eval abuse`, on the project's own examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loket.triage.abuse import AbuseKind, abuse, abuse_many
from loket.triage.abuse_lexicon import LEXICONS
from loket.triage.evaluation import main

FUNCTIONAL_SET = Path(__file__).parent / "data" / "abuse_functional_nl.jsonl"


@pytest.mark.parametrize(
    "text",
    [
        "Ik haat moslims.",
        "Vluchtelingen zijn ratten.",
        "Die Joden zijn niets meer dan ongedierte.",
        "Homo's zijn walgelijk.",
        "Alle immigranten moeten het land uit.",
        "Gehandicapten horen in een instelling, niet op straat.",
        "Ik ga al die moslims vermoorden.",
        "Trans personen zouden opgehangen moeten worden.",
        "Het wordt tijd om vluchtelingen uit te roeien.",
        "Vrouwen zijn niet slim.",  # a positive quality denied
        "Ik heb geen enkel respect voor zwarte mensen.",
        "Ik ken veel moslims en ze zijn allemaal uitschot.",  # "ze" refers back
        "Mijn buren zijn vluchtelingen. Ik walg van hen.",
        "Waarom zijn homo's zo smerig?",
        "Zijn niet alle Joden waardeloos?",  # a rhetorical question is no negation
        "Volgens mij zijn gehandicapten minderwaardig.",
        "Ik haat die kutmoslims.",
        "Fuck alle vluchtelingen.",
        "Jij bent een walgelijke moslim.",
        "Ga terug naar je eigen land.",
    ],
)
def test_hate_against_a_protected_group(text: str) -> None:
    result = abuse(text)
    assert result.is_abusive
    assert result.kind is AbuseKind.HATE


@pytest.mark.parametrize(
    ("text", "slur_target"),
    [
        ("Vuile flikker.", "holebi's"),
        ("Rot op, nikker.", "zwarte mensen"),
        ("Wat moet die geitenneuker hier?", "herkomst"),
        ("Stomme mongool.", "mensen met een beperking"),
    ],
)
def test_a_slur_is_hate_and_names_its_group(text: str, slur_target: str) -> None:
    result = abuse(text)
    assert result.kind is AbuseKind.HATE
    assert result.target == slur_target


@pytest.mark.parametrize(
    "text",
    [
        "Ik maak je af.",
        "Je gaat eraan.",
        "Ge gaat eraan, manneke.",
        "Ik weet waar je woont.",
        "Ik weet waar je kinderen naar school gaan.",
        "Pas maar op, ik kom je halen.",
        "Ik sla je op je bakkes.",
        "Ik hoop dat je doodgaat.",
        "Ik ga de burgemeester vermoorden.",
        "Ik steek het gemeentehuis in brand.",
    ],
)
def test_threats_aimed_at_a_person(text: str) -> None:
    result = abuse(text)
    assert result.kind is AbuseKind.THREAT


@pytest.mark.parametrize(
    "text",
    [
        "Jij bent een klootzak.",
        "Wat een idioot ben jij.",
        "Hou je bek!",
        "Idioot!",
        "Stelletje prutsers bij de gemeente.",
        "De schepen is een leugenaar.",
        "Gij zijt nen echte zot.",
        "Domme ambtenaar.",
        "Fuck you.",
        "Krijg de tering.",
    ],
)
def test_insults(text: str) -> None:
    assert abuse(text).kind is AbuseKind.INSULT


@pytest.mark.parametrize(
    "text",
    [
        # counter-speech: quoting or naming hate to condemn it
        "Het is niet oké om moslims ratten te noemen.",
        '"Vluchtelingen zijn ongedierte"? Wat een walgelijke uitspraak.',
        "Iemand schreef 'Joden eruit' op de muur van de school. Schandalig.",
        "Zeggen dat je homo's haat, maakt je geen held.",
        "Mensen die vrouwen haten, hebben hier niets te zoeken.",
        "Wie gehandicapten bedreigt, krijgt met de politie te maken.",
        "We staan samen tegen haat tegenover trans personen.",
        # neutral and positive mentions of groups
        "De moslimgemeenschap organiseert een iftar in het buurthuis.",
        "Het OCMW houdt een infoavond voor vluchtelingen.",
        "Ik ben een trans vrouw en wil mijn voornaam laten wijzigen.",
        "Zwarte mensen zijn net zo slim als iedereen.",
        "Ik heb een gehandicapte zoon die bang is voor honden.",
        "Een zwarte auto reed door het rood, walgelijk gedrag.",  # a colour, not a person
        "Vluchtelingen worden als beesten behandeld in dat kamp.",
        # negation
        "Ik haat moslims niet.",
        "Vluchtelingen zijn geen ratten, het zijn mensen zoals wij.",
        "Niemand in onze straat vindt Joden minderwaardig.",
        "Je bent geen idioot.",
        # self-reference and reclaimed words
        "Ik ben zo'n sukkel, ik vergat mijn afspraak.",
        "Ik ben een trotse flikker.",
        "Wij zijn trotse flikkers en trouwen volgende maand in het stadhuis.",
        # swearing aimed at nobody, and objects
        "Godverdomme, weer file op de ring.",
        "Kut, het containerpark is dicht.",
        "Die nieuwe parkeerregeling is walgelijk.",
        "Rat in de tuin.",
        "Zak vuilnis naast de container gezet.",
        "De lantaarnpaal flikkert al een week.",
        # haters are not a protected group; their hatred is a topic
        "Moslimhaters zijn uitschot.",
        "Jodenhaat is walgelijk.",
        # ordinary words one letter away from a lexicon word
        "Hoe laat gaat het loket open?",
        "Ik vind haar nieuwe kapsel mooi.",
        "Wanneer worden de gegevens van de enquête gedeeld?",
    ],
)
def test_not_abusive(text: str) -> None:
    result = abuse(text)
    assert not result.is_abusive, result
    assert result.kind is None
    assert result.matched == ()


@pytest.mark.parametrize(
    "text",
    [
        "M0sl1ms zijn r4tten.",  # leetspeak
        "Moooslims zijn ongedieeerte.",  # repeated letters
        "Ik h a a t joden.",  # letters spaced out
        "Ik haat vlucht elingen.",  # a word split in two
        "Ikhaat homo's.",  # words glued together
        "Ik haat zwartemensen.",
        "Ik haat mosilms.",  # two letters swapped
        "Gehandicapten zijn walgeljk.",  # a letter dropped
        "Vluchtelingen zijn ongediertee.",
    ],
)
def test_obfuscation_is_seen_through(text: str) -> None:
    assert abuse(text).kind is AbuseKind.HATE


def test_the_explanation_quotes_the_message_as_written() -> None:
    result = abuse("M0sl1ms zijn r4tten!")
    assert result.matched == ("M0sl1ms", "r4tten")
    assert result.target == "moslims"


def test_an_insult_or_threat_says_whether_it_is_aimed_at_the_reader() -> None:
    assert abuse("Jij bent een klootzak.").target == "you"
    assert abuse("Weer van die klootzakken die hun afval dumpen.").target == ""


def test_hate_wins_over_an_insult_in_the_same_message() -> None:
    result = abuse("Jij bent een idioot. Alle moslims zijn ratten.")
    assert result.kind is AbuseKind.HATE
    assert "idioot" not in result.matched


@pytest.mark.parametrize(
    ("language", "text", "kind"),
    [
        ("fr", "Les musulmans sont des rats.", AbuseKind.HATE),
        ("fr", "Je ne déteste pas les juifs.", None),
        ("fr", "Ce n'est pas acceptable de traiter les musulmans de rats.", None),
        ("fr", "Je sais où tu habites.", AbuseKind.THREAT),
        ("fr", "Ta gueule, connard.", AbuseKind.INSULT),
        ("fr", "Putain, encore des travaux.", None),
        ("en", "Muslims are vermin.", AbuseKind.HATE),
        ("en", "I don't hate muslims.", None),
        ("en", "Calling refugees rats is not okay.", None),
        ("en", "I know where you live.", AbuseKind.THREAT),
        ("en", "You are an idiot.", AbuseKind.INSULT),
        ("en", "Damn, the bus is late again.", None),
    ],
)
def test_french_and_english(language: str, text: str, kind: AbuseKind | None) -> None:
    assert abuse(text, language).kind is kind


def test_an_unknown_language_is_read_as_dutch_and_empty_text_is_fine() -> None:
    assert abuse("Moslims zijn ratten.", "de").kind is AbuseKind.HATE
    assert abuse("", "nl") == abuse("   ")
    assert not abuse("").is_abusive


def test_a_batch_gives_the_same_answers_as_one_by_one() -> None:
    texts = ["Ik haat moslims.", "Bedankt voor de snelle hulp!", "Ik maak je af."]
    assert abuse_many(texts) == [abuse(text) for text in texts]


def test_every_lexicon_builds() -> None:
    for language in LEXICONS:
        assert not abuse("Bonjour, hello, goeiedag.", language).is_abusive


# --- loket eval abuse ---------------------------------------------------------------------


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _case(text: str, gold: str, functionality: str) -> dict[str, object]:
    return {"text": text, "labels": {"label_gold": gold, "functionality": functionality}}


def test_eval_abuse_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write(
        tmp_path / "hatecheck.jsonl",
        [
            _case("Ik haat moslims.", "hateful", "derog_neg_emote_h"),
            _case("Vrouwen zijn walgelijk.", "hateful", "derog_neg_attrib_h"),
            _case("Ik bak graag taart voor mijn buren.", "hateful", "derog_neg_attrib_h"),
            _case("Ik haat moslims niet.", "non-hateful", "negate_neg_nh"),
            _case("Ik haat je.", "non-hateful", "target_indiv_nh"),  # abuse, not hate
            _case("Ik hou van vluchtelingen.", "non-hateful", "ident_pos_nh"),
            {"text": "Moslims zijn ratten.", "labels": {"label_gold": "hateful"}},
        ],
    )
    assert main(["abuse", "--data", str(data), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 7
    assert result["hateful_recall"] == 0.75  # 3 of the 4 hateful
    assert result["non_hateful_false_positive_rate"] == 0.0
    assert result["per_functionality"] == {
        "derog_neg_emote_h": {"n": 1, "accuracy": 1.0},
        "derog_neg_attrib_h": {"n": 2, "accuracy": 0.5},
        "negate_neg_nh": {"n": 1, "accuracy": 1.0},
        "target_indiv_nh": {"n": 1, "accuracy": 1.0},
        "ident_pos_nh": {"n": 1, "accuracy": 1.0},
    }


def test_eval_abuse_on_the_projects_functional_set(capsys: pytest.CaptureFixture[str]) -> None:
    """Our own HateCheck-style set (Dutch, hand-written): a guard against regressions."""
    assert main(["abuse", "--data", str(FUNCTIONAL_SET), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == sum(1 for _ in FUNCTIONAL_SET.open(encoding="utf-8"))
    assert result["hateful_recall"] >= 0.95
    assert result["non_hateful_false_positive_rate"] <= 0.05
    assert {"counter_quote_nh", "spell_leet_h", "slur_h"} <= set(result["per_functionality"])


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (None, "no such file"),
        ([], "no records"),
        ([{"text": "Ik haat moslims."}], "has no 'labels.label_gold'"),
        ([{"labels": {"label_gold": "hateful"}}], "has no 'text'"),
        ([_case("Ik haat moslims.", "offensive", "x")], "expected hateful or non-hateful"),
    ],
)
def test_eval_abuse_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[dict[str, object]] | None,
    message: str,
) -> None:
    data = tmp_path / "d.jsonl"
    if rows is not None:
        _write(data, rows)
    assert main(["abuse", "--data", str(data), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err
