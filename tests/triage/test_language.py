"""Language detection: the rule table for short messages, the model for longer ones, and
`loket eval language`. Every example is written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loket.triage import language
from loket.triage.evaluation import main
from loket.triage.language import Detection, detect, detect_language, detect_languages

SENTENCES = {
    "nl": [
        "Wanneer wordt het grofvuil opgehaald in de Kerkstraat?",
        "De straatlamp voor ons huis is kapot, kunnen jullie die herstellen?",
        "Amai, da's rap opgelost, merci aan de mensen van de groendienst!",
        "Hebt ge al eens gekeken naar de put in ons straat, 't is gevaarlijk voor de fietsers",
        "Kan ik mijn rijbewijs ook online aanvragen of moet ik naar het loket komen?",
        "De vraag betreft de bevoegdheid van de minister inzake de federale overheidsdienst",
        "zet de wekker om zeven uur",
    ],
    "fr": [
        "Bonjour, quand est-ce que les encombrants seront collectés dans ma rue?",
        "Je voudrais prendre rendez-vous pour renouveler ma carte d'identité",
        "Pourquoi le parc à conteneurs est-il fermé le lundi? C'est inadmissible",
        # Typed without accents, as in the parliamentary texts Loket is measured on.
        "le conseil communal a decide que les travaux commenceraient en septembre",
        "La question concerne la competence du ministre en matiere de securite routiere",
        "Pouvez-vous me communiquer le nombre de dossiers traites par l'administration?",
        "Il y a un trou dangereux dans la chaussee rue de la Station",
    ],
    "en": [
        "When will the bulky waste be collected in my street?",
        "The street light in front of my house has been broken for a week",
        "Why is the recycling park closed on Mondays? That is unacceptable",
        "hi, do you have an English version of the tax form",
        "We just moved to Leuven, how do I register my address?",
        "cancel my reminder",
    ],
    "de": [
        "Wann wird der Sperrmüll in unserer Straße abgeholt?",
        "Die Straßenlaterne vor meinem Haus ist seit einer Woche kaputt",
        "Ich möchte einen Termin für einen neuen Personalausweis vereinbaren",
        "Wir sind gerade nach Eupen gezogen, wie melde ich meine Adresse an?",
    ],
}


@pytest.mark.parametrize(
    ("expected", "text"), [(lang, text) for lang, texts in SENTENCES.items() for text in texts]
)
def test_sentences_in_each_language(expected: str, text: str) -> None:
    # A channel default of another language must not sway a message of some length.
    other = "en" if expected == "nl" else "nl"
    assert detect(text, default=other) == Detection(expected, "model")


def test_french_without_accents_is_still_french() -> None:
    assert detect_language("le conseil communal a decide que") == "fr"
    assert detect_language("les dechets n'ont pas ete ramasses cette semaine") == "fr"


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("Bedankt", "", "nl"),
        ("Bedankt!", "fr", "nl"),
        ("Dank u wel", "", "nl"),  # three words, but a phrase of the table
        ("Dank u", "en", "nl"),
        ("dikke merci", "fr", "nl"),
        ("Merci beaucoup", "nl", "fr"),
        ("Thanks", "nl", "en"),
        ("Thank you very much!", "", "en"),
        ("Danke", "", "de"),
        ("Danke schön", "nl", "de"),
        ("Goeiemorgen", "", "nl"),
        ("Bonjour", "nl", "fr"),
        ("ja graag", "", "nl"),
        ("oui merci", "nl", "fr"),
        ("Annuleer afspraak", "", "nl"),  # two words the table knows as Dutch only
        ("Wis herinneringen", "en", "nl"),
        ("cancel appointment", "nl", "en"),
    ],
)
def test_short_messages_go_through_the_rule_table(text: str, default: str, expected: str) -> None:
    assert detect(text, default=default) == Detection(expected, "rule")


@pytest.mark.parametrize(
    ("text", "default"),
    [
        ("ok", "nl"),
        ("ok", "fr"),
        ("OK!", ""),
        ("super", "en"),
        ("👍", "nl"),
        ("🙏🙏🙏", "fr"),
        ("", "nl"),
        ("   ", "de"),
        ("Jan Peeters", "nl"),  # a name: nothing to go by
        ("Snooze button", "fr"),  # words the table does not know
        ("hallo", "de"),  # Dutch or German: the default decides
        ("Merci thanks", "nl"),  # words of two languages
    ],
)
def test_short_messages_the_table_cannot_settle_take_the_default(text: str, default: str) -> None:
    assert detect(text, default=default) == Detection(default, "default")


def test_merci_is_decided_by_the_default_language() -> None:
    # In Flanders "merci" is as much Dutch as French, in East Belgium German too.
    assert detect_language("Merci!", default="nl") == "nl"
    assert detect_language("merci", default="fr") == "fr"
    assert detect_language("Merci", default="de") == "de"
    # On a channel without a default, or in English, it is what it literally is.
    assert detect("Merci!") == Detection("fr", "rule")
    assert detect_language("MERCI", default="en") == "fr"
    # Phrases around it settle it whatever the default.
    assert detect_language("merci wel", default="fr") == "nl"
    assert detect_language("merci bien", default="nl") == "fr"


def test_a_short_message_the_table_ties_without_the_default_is_unknown() -> None:
    # "die alle" is Dutch or German; on a French channel neither the default nor a guess.
    assert detect("die alle", default="fr") == Detection("", "rule")
    assert detect("die alle", default="de") == Detection("de", "default")


def test_without_a_default_short_messages_are_unknown() -> None:
    assert detect_language("ok") == ""
    assert detect_language("👍") == ""
    assert detect_language("Snooze button") == ""


def test_urls_mentions_hashtags_emails_and_numbers_are_ignored() -> None:
    noisy = (
        "@StadGent kijk https://stad.gent/en/waste en www.example.com of mail info@example.be "
        "#afval op 12/03 om 8u30, nr. 14b"
    )
    assert language.strip_noise(noisy) == "kijk en of mail op om nr."
    # One word is left, so the rule table decides, not the model on English URL words.
    thanks = "Bedankt @CityCouncil https://www.example.com/thank-you-page-for-the-form"
    assert detect(thanks) == Detection("nl", "rule")
    nothing = "@StadGent https://stad.gent/afval 👍 0471 12 34 56"
    assert detect(nothing, default="fr") == Detection("fr", "default")
    report = (
        "@MayorOfTheCity #StreetLights #BrokenAgain de lamp in de Molenstraat 14 is weer kapot "
        "https://www.example.com/photos/street-light-broken"
    )
    assert detect_language(report) == "nl"


def test_a_message_in_another_script_is_in_none_of_the_languages() -> None:
    assert detect("Здравствуйте, когда вывозят мусор на моей улице?") == Detection("", "rule")
    assert detect("شكرا", default="nl") == Detection("", "rule")


@pytest.mark.parametrize(
    "text",
    [
        "Merhaba, sokağımızdaki çöpler ne zaman toplanacak?",
        "Dzień dobry, kiedy będą odbierane śmieci na mojej ulicy?",
        "Buongiorno, quando viene raccolta la spazzatura nella mia strada?",
    ],
)
def test_a_message_clearly_in_another_language_is_unknown(text: str) -> None:
    assert detect(text, default="nl") == Detection("", "model")


def test_titles_and_names_do_not_decide() -> None:
    assert language.without_titles("zoek de film The Lord of the Rings voor mij") == (
        "zoek de film voor mij"
    )
    assert language.without_titles("Stop Lonely Hearts Club in mijn lijst") == (
        "Stop in mijn lijst"
    )
    # Capitals after a full stop start a sentence; with too little left, nothing is dropped.
    text = "Ik bel morgen. Kan Jan dat doen?"
    assert language.without_titles(text) == text
    assert language.without_titles("speel Highway Star") == "speel Highway Star"
    assert detect_language("zet de playlist Summer Hits Of The Best Party Ever op") == "nl"
    assert detect_language("zoek het boek The Secret Garden of the Old House voor mij") == "nl"


def test_only_the_start_of_a_long_message_is_read() -> None:
    reply = "Beste, ik heb uw antwoord goed ontvangen en ik kom morgen langs op het loket. " * 7
    quoted = "> Thank you for your message about the waste collection in your street. " * 80
    assert len(reply) >= language.MAX_CHARS
    assert detect_language(reply + quoted) == "nl"


def test_many_messages_at_once() -> None:
    texts = ["Bedankt", "ok", "Wanneer is het containerpark open?", "Where can I park?"]
    assert detect_languages(texts, default="fr") == ["nl", "fr", "nl", "en"]


def test_an_unknown_default_language_is_refused() -> None:
    with pytest.raises(ValueError, match="default language"):
        detect_language("Bedankt", default="es")


# --- loket eval language ---------------------------------------------------------------------


def write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


def evaluate(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["language", *argv, "--json"]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_eval_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = write(
        tmp_path / "lang.jsonl",
        [
            {"id": "1", "text": "Wanneer wordt het huisvuil opgehaald?", "lang": "nl"},
            {"id": "2", "text": "Le conseil communal a décidé de fermer la piscine", "lang": "fr"},
            {"id": "3", "text": "Where can I renew my passport?", "lang": "en-GB"},
            {"id": "4", "text": "Bedankt", "lang": "NL-be"},
            {"id": "5", "text": "ok", "lang": "nl"},  # wrong without a default
            {"id": "6", "text": "Pasaportumu nerede yenileyebilirim, lütfen?", "lang": "tr"},
        ],
    )
    result = evaluate(capsys, "--data", str(file))
    assert result == {
        "n": 6,
        "accuracy": round(5 / 6, 4),
        "per_language": {
            "": {"precision": 0.5, "recall": 1.0, "support": 1},  # Turkish is gold ""
            "en": {"precision": 1.0, "recall": 1.0, "support": 1},
            "fr": {"precision": 1.0, "recall": 1.0, "support": 1},
            "nl": {"precision": 1.0, "recall": round(2 / 3, 4), "support": 3},
        },
    }
    with_default = evaluate(capsys, "--data", str(file), "--default", "nl")
    assert with_default["accuracy"] == 1.0


def test_eval_language_without_accents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def detect_languages(texts: list[str], *, default: str = "") -> list[str]:
        seen.extend(texts)
        return ["fr" for _ in texts]

    monkeypatch.setattr(language, "detect_languages", detect_languages)
    file = write(tmp_path / "lang.jsonl", [{"text": "Le conseil a décidé à Liège", "lang": "fr"}])
    assert evaluate(capsys, "--data", str(file))["accuracy"] == 1.0
    assert evaluate(capsys, "--data", str(file), "--strip-accents")["accuracy"] == 1.0
    assert seen == ["Le conseil a décidé à Liège", "Le conseil a decide a Liege"]


@pytest.mark.parametrize(
    ("rows", "extra", "message"),
    [
        (None, [], "no such file"),
        ([], [], "no records"),
        ([{"id": "7", "text": "Bedankt"}], [], "record '7' has no 'lang'"),
        ([{"id": "8", "lang": "nl"}], [], "record '8' has no 'text'"),
        ([{"text": "Bedankt", "lang": "nl"}], ["--default", "es"], "--default must be one of"),
    ],
)
def test_eval_language_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[dict[str, object]] | None,
    extra: list[str],
    message: str,
) -> None:
    file = tmp_path / "lang.jsonl"
    if rows is not None:
        write(file, rows)
    assert main(["language", "--data", str(file), *extra, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err
