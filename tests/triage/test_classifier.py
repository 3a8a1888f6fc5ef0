"""The topic classifier and `loket eval classify`, on reports the project wrote itself
(tests/triage/data/topic_reports.jsonl: afval, verlichting, wegen, groen; split train/test)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from loket.triage.classifier import (
    ModelFormatError,
    Settings,
    TopicClassifier,
    TrainingError,
    fold,
    tokens,
    train,
    word_features,
)
from loket.triage.evaluation import main

DATA = Path(__file__).parent / "data" / "topic_reports.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
TRAIN = [row for row in ROWS if row["split"] == "train"]
TEST = [row for row in ROWS if row["split"] == "test"]


def texts(rows: list[dict[str, Any]]) -> list[str]:
    return [row["text"] for row in rows]


def labels(rows: list[dict[str, Any]]) -> list[str]:
    return [row["labels"]["topic"] for row in rows]


@pytest.fixture(scope="module")
def classifier() -> TopicClassifier:
    return train(texts(TRAIN), labels(TRAIN))


# --- preprocessing


def test_folding_lowercases_strips_accents_and_normalises_numbers_urls_and_addresses() -> None:
    assert fold("Financiën in 2025: zie https://www.gemeente.be/info") == (
        "financien in 0: zie  urlx "
    )
    assert fold("Mail naar Info@Gemeente.be of bel") == "mail naar  emailx  of bel"
    assert tokens("Rue de l'Église 12, café") == ["rue", "de", "l", "eglise", "0", "cafe"]


def test_house_numbers_do_not_make_different_words() -> None:
    assert word_features("Kerkstraat 12") == word_features("kerkstraat 345")


def test_dutch_stemming_joins_inflected_forms() -> None:
    assert word_features("lantaarnpalen")[0] == word_features("Lantaarnpaal")[0]
    assert "gemaaid" not in word_features("Het gras is niet gemaaid")


def test_word_features_are_stems_and_bigrams_of_stems() -> None:
    features = word_features("Bomen snoeien")
    assert features[:2] == [word_features("bomen")[0], word_features("snoeien")[0]]
    assert features[2] == f"{features[0]} {features[1]}"


def test_a_very_long_text_is_read_only_at_its_start() -> None:
    assert len(tokens("afval " * 10_000)) == 500


# --- training and prediction


def test_it_predicts_held_out_reports(classifier: TopicClassifier) -> None:
    predictions = classifier.predict(texts(TEST))
    assert [p.label for p in predictions] == labels(TEST)
    assert classifier.labels == ("afval", "groen", "verlichting", "wegen")
    assert all(0.25 < p.confidence <= 1.0 for p in predictions)


def test_probabilities_cover_every_label_and_sum_to_one(classifier: TopicClassifier) -> None:
    probabilities = classifier.probabilities(["De straatlamp is kapot", "Gras maaien"])
    assert probabilities.shape == (2, 4)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    one = classifier.predict_one("De straatlamp is kapot")
    assert one.label == "verlichting"
    assert one.confidence == round(float(probabilities[0].max()), 4)
    assert classifier.predict([]) == []


def test_an_unknown_text_gets_a_low_confidence(classifier: TopicClassifier) -> None:
    known = classifier.predict_one("De straatlamp in de Kerkstraat brandt niet meer")
    unknown = classifier.predict_one("Wat zijn de openingsuren van het zwembad?")
    assert unknown.confidence < known.confidence


def test_training_facts_are_kept(classifier: TopicClassifier) -> None:
    assert classifier.info["examples"] == 48
    assert classifier.info["label_counts"] == {
        "afval": 12,
        "groen": 12,
        "verlichting": 12,
        "wegen": 12,
    }
    assert 0 < classifier.info["cross_validated_macro_f1"] <= 1


def test_explain_names_the_words_that_decided(classifier: TopicClassifier) -> None:
    reasons = classifier.explain("De lantaarnpalen in onze straat branden niet")
    assert reasons
    assert reasons[0][0] in {word_features("lantaarnpaal")[0], word_features("branden")[0]}
    assert all(weight > 0 for _, weight in reasons)
    assert len(classifier.explain("De lantaarnpalen branden niet", label="afval", top=2)) <= 2


def _few_groen(keep: int) -> tuple[list[str], list[str]]:
    rows = [row for row in TRAIN if row["labels"]["topic"] != "groen"]
    rows += [row for row in TRAIN if row["labels"]["topic"] == "groen"][:keep]
    return texts(rows), labels(rows)


GROEN_TEST = texts([row for row in TEST if row["labels"]["topic"] == "groen"])


def test_class_weights_keep_a_small_label_found() -> None:
    few_texts, few_labels = _few_groen(3)
    weighted = train(few_texts, few_labels, Settings(tune_bias=False))
    unweighted = train(few_texts, few_labels, Settings(tune_bias=False, class_weight_power=0))
    assert [p.label for p in weighted.predict(GROEN_TEST)] == ["groen"] * 4
    assert [p.label for p in unweighted.predict(GROEN_TEST)] != ["groen"] * 4


def test_tuned_label_biases_help_a_very_small_label() -> None:
    few_texts, few_labels = _few_groen(2)
    tuned = train(few_texts, few_labels)
    untuned = train(few_texts, few_labels, Settings(tune_bias=False))
    assert [p.label for p in tuned.predict(GROEN_TEST)] == ["groen"] * 4
    assert [p.label for p in untuned.predict(GROEN_TEST)] != ["groen"] * 4


def test_two_labels_work() -> None:
    rows = [row for row in TRAIN if row["labels"]["topic"] in {"afval", "verlichting"}]
    model = train(texts(rows), labels(rows))
    assert [p.label for p in model.predict(["De straatlamp brandt niet", "Sluikstort"])] == [
        "verlichting",
        "afval",
    ]


def test_a_label_with_one_example_trains_without_cross_validation() -> None:
    model = train(
        [*texts(TRAIN), "Een rat in de kelder van het gemeentehuis"],
        [*labels(TRAIN), "ongedierte"],
    )
    assert model.info["cross_validated_macro_f1"] is None
    assert model.predict_one("Een rat in de kelder").label == "ongedierte"


@pytest.mark.parametrize(
    ("train_texts", "train_labels", "message"),
    [
        ([], [], "no training examples"),
        (["a", "b"], ["x"], "2 texts but 1 labels"),
        (["Afval", "Meer afval"], ["afval", "afval"], "only one label"),
        (["!!!", "???"], ["a", "b"], "no words"),
    ],
)
def test_training_refuses_what_cannot_make_a_classifier(
    train_texts: list[str], train_labels: list[str], message: str
) -> None:
    with pytest.raises(TrainingError, match=message):
        TopicClassifier.train(train_texts, train_labels)


# --- storage


def test_a_stored_model_predicts_exactly_the_same(classifier: TopicClassifier) -> None:
    blob = classifier.to_bytes()
    loaded = TopicClassifier.from_bytes(blob)
    assert loaded.labels == classifier.labels
    assert loaded.settings == classifier.settings
    assert loaded.info == classifier.info
    every = texts(ROWS)
    assert np.array_equal(loaded.probabilities(every), classifier.probabilities(every))
    assert loaded.predict(every) == classifier.predict(every)
    assert loaded.to_bytes() == blob


def test_the_stored_format_holds_json_and_plain_arrays(classifier: TopicClassifier) -> None:
    with zipfile.ZipFile(io.BytesIO(classifier.to_bytes())) as archive:
        assert sorted(archive.namelist()) == [
            "bias.npy",
            "idf.npy",
            "intercept.npy",
            "model.json",
            "weights.npy",
        ]
        document = json.loads(archive.read("model.json"))
    assert document["format"] == "loket-topic-classifier"
    assert document["labels"] == ["afval", "groen", "verlichting", "wegen"]


def _replace(blob: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in source.namelist():
            archive.writestr(member, content if member == name else source.read(member))
    return out.getvalue()


def test_loading_never_unpickles(classifier: TopicClassifier) -> None:
    stream = io.BytesIO()
    np.save(stream, np.array([object()], dtype=object), allow_pickle=True)
    blob = _replace(classifier.to_bytes(), "weights.npy", stream.getvalue())
    with pytest.raises(ModelFormatError, match="not a topic classifier"):
        TopicClassifier.from_bytes(blob)


def test_bad_blobs_are_refused(classifier: TopicClassifier) -> None:
    blob = classifier.to_bytes()
    with pytest.raises(ModelFormatError, match="not a topic classifier"):
        TopicClassifier.from_bytes(b"not a zip")
    document = json.loads(zipfile.ZipFile(io.BytesIO(blob)).read("model.json"))
    with pytest.raises(ModelFormatError, match="unsupported model format"):
        TopicClassifier.from_bytes(
            _replace(blob, "model.json", json.dumps({**document, "version": 99}).encode())
        )
    with pytest.raises(ModelFormatError, match="shapes do not match"):
        TopicClassifier.from_bytes(
            _replace(blob, "model.json", json.dumps({**document, "labels": ["a", "b"]}).encode())
        )
    with pytest.raises(ModelFormatError, match="incomplete"):
        TopicClassifier.from_bytes(
            _replace(blob, "model.json", json.dumps({**document, "settings": {}}).encode())
        )


def test_predicting_needs_no_scikit_learn(classifier: TopicClassifier, tmp_path: Path) -> None:
    model = tmp_path / "model.bin"
    model.write_bytes(classifier.to_bytes())
    script = (
        "import sys, pathlib\n"
        "import loket.triage.evaluation.classify\n"
        "from loket.triage.classifier import TopicClassifier\n"
        "assert 'numpy' not in sys.modules, 'numpy on import'\n"
        f"blob = pathlib.Path({str(model)!r}).read_bytes()\n"
        "print(TopicClassifier.from_bytes(blob).predict_one('De straatlamp is kapot').label)\n"
        "assert 'sklearn' not in sys.modules, 'scikit-learn on prediction'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "verlichting"


# --- loket eval classify


def _write(path: Path, rows: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return str(path)


def test_eval_classify_prints_the_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train_file = _write(tmp_path / "train.jsonl", TRAIN)
    test_file = _write(tmp_path / "test.jsonl", TEST)
    argv = ["classify", "--train", train_file, "--test", test_file]
    assert main([*argv, "--label-field", "labels.topic", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {
        "n",
        "macro_f1",
        "accuracy",
        "per_label",
        "train_seconds",
        "predict_per_second",
    }
    assert result["n"] == len(TEST) == 16
    assert result["macro_f1"] == result["accuracy"] == 1.0
    assert set(result["per_label"]) == {"afval", "groen", "verlichting", "wegen"}
    assert result["per_label"]["groen"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "support": 4,
    }
    assert result["train_seconds"] > 0
    assert result["predict_per_second"] > 0


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("loket eval: ")
    return captured.err


def test_eval_classify_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path / "good.jsonl", TRAIN)
    missing_label = [*TRAIN[:5], {"id": "x", "text": "Een put", "labels": {}}]
    cases = {
        "no such file": (str(tmp_path / "absent.jsonl"), good),
        "has no 'labels.topic'": (_write(tmp_path / "missing.jsonl", missing_label), good),
        "no records": (good, _write(tmp_path / "empty.jsonl", [])),
        "only one label": (_write(tmp_path / "one.jsonl", TRAIN[:12]), good),
    }
    for message, (train_file, test_file) in cases.items():
        argv = ["classify", "--train", train_file, "--test", test_file]
        assert main([*argv, "--label-field", "labels.topic", "--json"]) == 2
        assert message in _one_error_line(capsys)
    assert main(["classify", "--train", good, "--test", good]) == 2
    assert "--label-field" in _one_error_line(capsys)
