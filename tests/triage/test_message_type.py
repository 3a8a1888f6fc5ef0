"""Message type: hand-written cues decide between question, complaint, report, compliment,
opinion, spam_abuse and other, and say which words decided. All messages are written for
these tests (tests/triage/data/type_urgency_messages.jsonl holds 250 more)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loket.triage.contracts import MessageType
from loket.triage.evaluation import main
from loket.triage.message_type import TypeResult, classify, message_type

T = MessageType
DATA = Path(__file__).parent / "data" / "type_urgency_messages.jsonl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # reports: an object in public space with a defect, or a report word on its own
        ("De straatlamp aan de Kerkstraat 12 is kapot.", T.REPORT),
        ("Er zit een put in de weg ter hoogte van de Molenstraat 45", T.REPORT),
        ("Sluikstort aan de glasbollen op het Marktplein", T.REPORT),
        ("Boom omgevallen over het fietspad", T.REPORT),
        ("Lekkende brandkraan op de hoek van de Dorpsstraat", T.REPORT),
        ("Loszittende tegel op het voetpad voor de bib", T.REPORT),
        ("Er ligt veel zwerfvuil langs het jaagpad", T.REPORT),
        ("Un lampadaire est cassé rue de la Station", T.REPORT),
        ("There is a huge pothole on the road", T.REPORT),
        # a request to act with a question mark is still a report
        ("Kunnen jullie de bladeren op het fietspad komen ruimen? Het is spekglad.", T.REPORT),
        ("Er ligt glas op de parking, zou dit opgeruimd kunnen worden?", T.REPORT),
        # questions
        ("Wanneer wordt het grofvuil opgehaald in de Lindenwijk?", T.QUESTION),
        ("Hoe kan ik een nieuwe identiteitskaart aanvragen?", T.QUESTION),
        ("Waar kan ik mijn oude verf binnenbrengen?", T.QUESTION),
        ("Mag ik een container op de openbare weg zetten voor mijn verbouwing?", T.QUESTION),
        ("Kan ik een afspraak maken bij burgerzaken op zaterdag?", T.QUESTION),
        ("Ik zou graag weten of ik recht heb op een verlaagd tarief.", T.QUESTION),
        ("Comment puis-je demander une carte d'identité ?", T.QUESTION),
        ("When is the recycling park open on Saturdays?", T.QUESTION),
        # complaints about the service
        ("Ik heb al 3 keer gebeld en niemand reageert. Onaanvaardbaar.", T.COMPLAINT),
        ("Ik wil een klacht indienen over de behandeling aan het loket.", T.COMPLAINT),
        (
            "Mijn melding over de kapotte lamp werd afgesloten zonder dat er iets gebeurd is.",
            T.COMPLAINT,
        ),
        ("Voor de tweede keer niet geleegd, en niemand van jullie belt terug.", T.COMPLAINT),
        ("J'ai appelé trois fois et personne ne répond. C'est inadmissible.", T.COMPLAINT),
        ("Still no reply to my email after six weeks, terrible service.", T.COMPLAINT),
        # compliments, but not thanks as a closing formula
        ("Bedankt voor het snelle herstel van de straatlamp! Goed gedaan.", T.COMPLIMENT),
        ("Proficiat aan de groendienst, het park ziet er prachtig uit.", T.COMPLIMENT),
        ("Thank you so much for fixing the streetlight so quickly!", T.COMPLIMENT),
        ("Papierbak zit vol aan de sporthal. Alvast bedankt!", T.REPORT),
        # opinions on policy
        ("Ik vind dat de gemeente meer moet investeren in fietspaden.", T.OPINION),
        ("Het nieuwe circulatieplan is een slecht plan.", T.OPINION),
        ("Waarom geen fietsstraat in de Kerkstraat?", T.OPINION),
        ("Ik ben tegen de sluiting van het zwembad. Waar moeten de kinderen zwemmen?", T.OPINION),
        ("Je suis contre la fermeture de la piscine.", T.OPINION),
        ("In my opinion the new traffic plan is a bad idea.", T.OPINION),
        # spam and abuse
        ("Verdien €5000 per week met bitcoin! Klik hier: http://rijk.example/promo", T.SPAM_ABUSE),
        ("Stelletje klootzakken zijn jullie.", T.SPAM_ABUSE),
        ("You are all fucking idiots at the council.", T.SPAM_ABUSE),
        # not a message for the municipality
        ("Zet de wekker om 7 uur", T.OTHER),
        ("Gaat het morgen regenen?", T.OTHER),
        ("Is het koud buiten vandaag?", T.OTHER),
        ("Speel mijn playlist met rustige muziek", T.OTHER),
        ("Remind me to call mom at 5 pm", T.OTHER),
        ("Reserveer een tafel voor twee om acht uur", T.OTHER),
        ("Goeiemorgen", T.OTHER),
        ("test", T.OTHER),
    ],
)
def test_message_types(text: str, expected: MessageType) -> None:
    assert message_type(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bedankt", T.COMPLIMENT),
        ("Merci!", T.COMPLIMENT),
        ("dank u wel", T.COMPLIMENT),
        ("Thanks", T.COMPLIMENT),
        ("zwerfvuil", T.REPORT),
        ("Sluikstort Veldstraat", T.REPORT),
        ("Lamp kapot", T.REPORT),
        ("Bijplaatsing", T.REPORT),
        ("Hallo", T.OTHER),
        ("👍", T.OTHER),
        ("", T.OTHER),
        ("ok", T.OTHER),
    ],
)
def test_one_and_two_word_messages(text: str, expected: MessageType) -> None:
    assert message_type(text) is expected


def test_a_message_with_no_cue_is_other_with_low_confidence() -> None:
    result = classify("Qwerty asdf")
    assert result.type is T.OTHER
    assert result.cues == ()
    assert result.confidence < 0.5


def test_the_result_says_which_words_decided() -> None:
    result = classify("De STRAATLAMP aan de Kerkstraat is kapot, graag herstellen")
    assert isinstance(result, TypeResult)
    assert result.type is T.REPORT
    names = {cue.name: cue.text for cue in result.cues if cue.type is T.REPORT}
    assert names["public_object"] == "STRAATLAMP"
    assert names["defect"] == "kapot"
    assert "request_to_act" in names
    assert result.cues[0].type is T.REPORT  # the chosen type's cues come first
    assert 0.5 < result.confidence <= 1.0
    assert result.scores[T.REPORT] == max(result.scores.values())


def test_a_clear_message_is_more_certain_than_a_mixed_one() -> None:
    clear = classify("Sluikstort aan de bosrand: bouwafval en autobanden gedumpt.")
    mixed = classify("Lamp kapot en al 2 keer gebeld zonder antwoord")
    assert clear.confidence > mixed.confidence


def test_a_swear_word_in_a_report_is_not_abuse() -> None:
    assert message_type("Wat een kutzooi, overal zwerfvuil aan de glasbak") is T.REPORT


def test_a_link_alone_is_not_spam() -> None:
    text = "Put in de weg, zie foto: https://maps.example/abc"
    assert message_type(text) is T.REPORT


def test_the_project_set() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    types = [row["labels"]["type"] for row in rows]
    assert set(types) == {kind.value for kind in MessageType}
    correct = sum(
        message_type(row["text"]).value == gold for row, gold in zip(rows, types, strict=True)
    )
    assert correct / len(rows) >= 0.95


# --- loket eval type ---------------------------------------------------------------------


def test_eval_type_prints_the_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "t.jsonl"
    rows = [
        {"id": "1", "text": "Straatlamp kapot in de Kerkstraat", "gold": {"type": "report"}},
        {"id": "2", "text": "Wanneer opent het zwembad?", "gold": {"type": "question"}},
        {"id": "3", "text": "Zet de wekker om 7 uur", "gold": {"type": "other_out_of_domain"}},
        {"id": "4", "text": "Bedankt!", "gold": {"type": "Compliment"}},
        {"id": "5", "text": "Wanneer opent het zwembad?", "gold": {"type": "complaint"}},
    ]
    file.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    assert main(["type", "--data", str(file), "--label-field", "gold.type", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"n", "macro_f1", "accuracy", "per_label"}
    assert result["n"] == 5
    assert result["accuracy"] == 0.8
    assert set(result["per_label"]) == {"report", "question", "other", "compliment", "complaint"}
    assert result["per_label"]["question"]["precision"] == 0.5
    assert result["per_label"]["complaint"]["recall"] == 0.0


def test_eval_type_on_the_project_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["type", "--data", str(DATA), "--label-field", "labels.type"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 250
    assert result["macro_f1"] >= 0.95


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        (None, "labels.type", "no such file"),
        ("", "labels.type", "no records"),
        ("not json\n", "labels.type", "not JSON"),
        ('{"id": "a", "text": "x", "labels": {}}\n', "labels.type", "has no 'labels.type'"),
        ('{"id": "a", "text": "x", "labels": {"type": "afval"}}\n', "labels.type", "no gold value"),
    ],
)
def test_eval_type_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    field: str,
    message: str,
) -> None:
    file = tmp_path / "t.jsonl"
    if content is not None:
        file.write_text(content, encoding="utf-8")
    assert main(["type", "--data", str(file), "--label-field", field]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("loket eval: ")
    assert message in captured.err
