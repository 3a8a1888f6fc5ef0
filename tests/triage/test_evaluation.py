"""`loket eval`: the harness every triage measurement goes through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loket.triage.evaluation import data, main


def test_scores_by_hand() -> None:
    gold = ["a", "a", "b", "b", "c"]
    predicted = ["a", "b", "b", "b", "a"]
    result = data.scores(gold, predicted)
    assert result["n"] == 5
    assert result["accuracy"] == 0.6
    assert result["per_label"]["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert result["per_label"]["b"] == {"precision": 0.6667, "recall": 1.0, "f1": 0.8, "support": 2}
    assert result["per_label"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert result["macro_f1"] == round((0.5 + 0.8 + 0.0) / 3, 4)


def test_a_dotted_label_path_and_what_is_missing(tmp_path: Path) -> None:
    file = tmp_path / "d.jsonl"
    file.write_text('{"id": "1", "text": "x", "labels": {"category": "afval"}}\n\n')
    [record] = data.records(file)
    assert data.field(record, "labels.category") == "afval"
    with pytest.raises(data.DataError, match=r"has no 'labels\.team'"):
        data.field(record, "labels.team")


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"), ("", "no records"), ("{oops\n", "not JSON"), ("[1]\n", "JSON object")],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    file = tmp_path / "d.jsonl"
    if content is not None:
        file.write_text(content)
    with pytest.raises(data.DataError, match=message):
        data.records(file)


def test_an_unknown_kind_or_argument_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nonsense"]) == 2
    assert main(["classify", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2
    assert all(line.startswith("loket eval: ") for line in err.splitlines())


def test_the_result_is_one_json_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from loket.triage import evaluation

    class Fake:
        @staticmethod
        def add_arguments(parser: object) -> None:
            parser.add_argument("--data", required=True)  # type: ignore[attr-defined]

        @staticmethod
        def run(args: object) -> dict[str, object]:
            return {"n": len(data.records(args.data))}  # type: ignore[attr-defined]

    monkeypatch.setitem(evaluation.KINDS, "fake", ("fake", "a fake"))
    monkeypatch.setitem(__import__("sys").modules, "loket.triage.evaluation.fake", Fake)
    file = tmp_path / "d.jsonl"
    file.write_text('{"text": "a"}\n{"text": "b"}\n')
    assert main(["fake", "--data", str(file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"n": 2}
