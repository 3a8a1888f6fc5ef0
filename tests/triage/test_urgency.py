"""Urgency: the documented rules fire on danger, safety, crisis and self-harm, and keep quiet on
the usual false alarms. All messages are written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loket.triage.evaluation import main
from loket.triage.urgency import HELPLINE, RULES, assess, is_urgent

DATA = Path(__file__).parent / "data" / "type_urgency_messages.jsonl"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ik ruik een sterke gaslucht in de Kerkstraat", "gas"),
        ("gasgeur in de trappenhal van ons appartement", "gas"),
        ("Il y a une forte odeur de gaz dans l'immeuble", "gas"),
        ("I can smell gas in the street", "gas"),
        ("Er is brand in de container achter de sporthal!", "fire"),
        ("Het tuinhuis van de buren staat in brand", "fire"),
        ("Er komt zwarte rook uit het dak van de loods", "fire"),
        ("Incendie dans la rue de la Gare", "fire"),
        ("Er ligt een man bewusteloos op het voetpad", "medical"),
        ("Oudere dame gevallen, ze bloedt hevig aan het hoofd", "medical"),
        ("Ongeval met gewonden op het kruispunt van de Ringlaan", "accident"),
        ("Elektriciteitskabel ligt op straat na de storm", "electricity"),
        ("Er hangen loshangende stroomkabels aan de paal", "electricity"),
        ("A power line is down on our street", "electricity"),
        ("Overstroming in de Beekstraat", "flood"),
        ("We hebben water in huis, de kelder loopt vol", "flood"),
        ("Boom omgevallen op de weg in de Bosstraat", "obstacle"),
        ("Er is een boom op een geparkeerde auto gevallen", "obstacle"),
        ("Boom omgewaaid, geen doorgang mogelijk.", "obstacle"),
        ("Putdeksel ontbreekt op het fietspad", "obstacle"),
        ("Un arbre est tombé sur la route", "obstacle"),
        ("Ons kind is vermist sinds 16u in de buurt van het park", "missing"),
        ("A child has gone missing near the playground", "missing"),
        ("Er is een vechtpartij bezig op het Marktplein", "violence"),
        ("Een man zwaait met een mes voor het station", "violence"),
        ("Een jongen loopt hier rond met een mes in zijn hand", "violence"),
        ("Er zijn nu inbrekers bezig bij de buren", "burglary"),
        ("Een man bedreigt de mensen aan het loket", "threat"),
        ("Ze zijn de straat aan het evacueren", "crisis"),
        ("Er was net een ontploffing in de Fabrieksstraat", "crisis"),
        ("Explosie in een woning aan de Nieuwstraat", "crisis"),
        ("Glad ijs op de brug, levensgevaarlijk!", "life_danger"),
        ("Het ruikt in heel de wijk naar gas", "gas"),
        ("De kelders in onze straat lopen vol water", "flood"),
        ("Een stroomkabel hangt los boven het voetpad", "electricity"),
        ("Er gaapt een gat midden op de rijweg", "obstacle"),
    ],
)
def test_urgent_messages_say_why(text: str, reason: str) -> None:
    result = assess(text)
    assert result.urgent
    assert reason in result.reasons
    assert result.label == "urgent"
    assert result.helpline == ""


@pytest.mark.parametrize(
    "text",
    [
        "ik wil niet meer leven",
        "Ik kan niet meer, ik maak er vanavond een einde aan.",
        "Ik denk aan zelfmoord",
        "Soms heb ik zelfmoordgedachten",
        "Je ne veux plus vivre",
        "I want to kill myself",
    ],
)
def test_self_harm_is_urgent_and_carries_the_helpline(text: str) -> None:
    result = assess(text)
    assert result.urgent
    assert result.reasons == ("self_harm",)
    assert result.helpline == HELPLINE == "1813"


@pytest.mark.parametrize(
    "text",
    [
        # words that only contain an alarm word
        "Wanneer is de opendag van de brandweerkazerne?",
        "De brandgang achter de winkels ligt vol zwerfvuil.",
        "Lekkende brandkraan aan de school",
        "De film gisteren was echt explosief, wat een spektakel!",
        "Ik heb mijn aanslagbiljet nog niet ontvangen",
        "Zijn er sessies over zelfmoordpreventie in de bib?",
        # lamps burn, fireworks smoke
        "Straatverlichting brandt niet",
        "Straat verlichting brand niet sinds gisteren",
        "Veel rook van het vuurwerk bij de speeltuin",
        # the past, reported calmly
        "Vorige maand was er een brand in het leegstaande pand, het puin ligt er nog altijd.",
        "Brand in papiercontainer geblust door brandweer",
        # negation, near misses, hypotheticals, procedures
        "Boom omgevallen in het park. Er is niemand gewond.",
        "Zojuist weer bijna aangereden op het zebrapad",
        "Hoe meld ik een gaslek? Gewoon voor de zekerheid, er is niks aan de hand.",
        "Graag snoeien voordat er ongelukken gebeuren",
        "De put kan bij regen overstromen, graag ter voorkoming van overstroming legen",
        # jokes
        "Haha die ontploffing in de film 😂",
        "Mijn collega is een bom van energie, die ontploft bijna haha",
        # "levensgevaarlijk" about a lasting situation
        "Straatverlichting al weken kapot, levensgevaarlijk bij het zebrapad",
        "Er wordt hier dagelijks veel te hard gereden, levensgevaarlijk",
        # nuisances that sound like safety
        "Meeuwen zijn erg agressief bij de containers",
        "Honden overlast, agressieve hond die de hele nacht blaft",
        "Ik heb me dood geërgerd aan de wachtrij",
        # ordinary messages
        "Bedankt",
        "Lamp kapot",
        "Wanneer wordt het grofvuil opgehaald?",
    ],
)
def test_false_alarms_stay_normal(text: str) -> None:
    result = assess(text)
    assert not result.urgent, result
    assert result.label == "normal"
    assert result.reasons == result.cues == ()


@pytest.mark.parametrize("text", ["Brand!", "Gaslucht", "Gasgeur Markt 3", "Overstroming!"])
def test_one_or_two_words_are_enough(text: str) -> None:
    assert is_urgent(text)


@pytest.mark.parametrize("text", ["brandweer", "Vuurwerk", "Gevaarlijk", "Dringend", "explosief"])
def test_one_word_that_is_not_an_emergency(text: str) -> None:
    assert not is_urgent(text)


def test_a_past_event_still_going_on_is_urgent() -> None:
    assert not is_urgent("Gisteren was er een vechtpartij aan het station")
    assert is_urgent("Gisteren begon het en nu is er weer een vechtpartij bezig aan het station")


def test_gas_and_self_harm_are_never_over() -> None:
    assert is_urgent("Sinds gisteren ruik ik een gaslucht in de gang")
    assert is_urgent("Vorige week wilde ik al niet meer leven, ik denk aan zelfmoord")


def test_cues_are_the_citizens_own_words() -> None:
    result = assess("Er hangt een GASLUCHT in de Brouwerijstraat en ik zie ROOK uit het dak komen")
    assert result.reasons == ("gas", "fire")
    assert result.cues[0] == "GASLUCHT"
    assert "ROOK" in result.cues[1]


def test_every_rule_has_a_documented_name() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "urgency.md").read_text(encoding="utf-8")
    from loket.triage import urgency

    for rule in RULES:
        assert f"`{rule.name}`" in doc
        assert f"``{rule.name}``" in (urgency.__doc__ or "")


def test_the_project_set_is_caught_whole() -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    gold = [row["labels"]["urgency"] == "urgent" for row in rows]
    predicted = [is_urgent(row["text"]) for row in rows]
    hits = sum(g and p for g, p in zip(gold, predicted, strict=True))
    assert sum(gold) >= 30
    assert hits / sum(gold) >= 0.95  # recall
    assert hits / sum(predicted) >= 0.9  # precision


# --- loket eval urgency ------------------------------------------------------------------


def test_eval_urgency_prints_the_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "u.jsonl"
    rows = [
        {"id": "1", "text": "Gaslucht in de Kerkstraat!", "labels": {"urgency": "urgent"}},
        {"id": "2", "text": "Wanneer opent het zwembad?", "labels": {"urgency": "normal"}},
        {"id": "3", "text": "De straatlamp is kapot", "labels": {"urgency": "urgent"}},
        {"id": "4", "text": "Brand in de loods, veel rook!", "labels": {"urgency": True}},
    ]
    file.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    assert main(["urgency", "--data", str(file), "--label-field", "labels.urgency", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"n", "macro_f1", "accuracy", "per_label"}
    assert result["n"] == 4
    assert result["accuracy"] == 0.75
    assert result["per_label"]["urgent"] == {
        "precision": 1.0,
        "recall": 0.6667,
        "f1": 0.8,
        "support": 3,
    }


def test_eval_urgency_on_the_project_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["urgency", "--data", str(DATA), "--label-field", "labels.urgency"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 250
    assert result["per_label"]["urgent"]["recall"] >= 0.95


@pytest.mark.parametrize(
    ("content", "field", "message"),
    [
        (None, "labels.urgency", "no such file"),
        ("", "labels.urgency", "no records"),
        ('{"id": "a", "text": "x", "labels": {}}\n', "labels.urgency", "has no 'labels.urgency'"),
        ('{"id": "a", "labels": {"urgency": "urgent"}}\n', "labels.urgency", "has no 'text'"),
        ('{"id": "a", "text": "x", "labels": {"urgency": "high"}}\n', "labels.urgency", "'high'"),
    ],
)
def test_eval_urgency_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    field: str,
    message: str,
) -> None:
    file = tmp_path / "u.jsonl"
    if content is not None:
        file.write_text(content, encoding="utf-8")
    assert main(["urgency", "--data", str(file), "--label-field", field]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("loket eval: ")
    assert message in captured.err


def test_eval_urgency_needs_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["urgency", "--data", str(DATA)]) == 2
    assert "--label-field" in capsys.readouterr().err
