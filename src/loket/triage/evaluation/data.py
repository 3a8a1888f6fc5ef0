"""Reading labelled JSONL files for `loket eval`, and the usual classification figures."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any


class DataError(Exception):
    """Bad input for an evaluation: the message is printed as one line."""


def records(path: str | Path) -> list[dict[str, Any]]:
    """Every record of a JSONL file; a DataError names the file and line of what is wrong."""
    file = Path(path)
    if not file.is_file():
        raise DataError(f"{file}: no such file")
    found = []
    try:
        with file.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as error:
                    raise DataError(f"{file}:{number}: not JSON ({error})") from None
                if not isinstance(record, dict):
                    raise DataError(f"{file}:{number}: a record must be a JSON object")
                found.append(record)
    except UnicodeDecodeError as error:
        raise DataError(f"{file}: not UTF-8 ({error.reason})") from None
    if not found:
        raise DataError(f"{file}: no records")
    return found


def field(record: dict[str, Any], path: str, *, where: str = "") -> Any:
    """The value at a dotted path (`labels.category`); a DataError if it is missing."""
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value or value[part] is None:
            raise DataError(f"{where}record {record.get('id', '?')!r} has no {path!r}")
        value = value[part]
    return value


def texts_and_labels(
    rows: Sequence[dict[str, Any]], label_path: str, *, where: str = ""
) -> tuple[list[str], list[str]]:
    texts = [str(field(row, "text", where=where)) for row in rows]
    labels = [str(field(row, label_path, where=where)) for row in rows]
    return texts, labels


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold labels, and precision/recall/F1/support per label."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    labels = sorted(set(gold))
    pairs = Counter(zip(gold, predicted, strict=True))
    predicted_count = Counter(predicted)
    gold_count = Counter(gold)
    per_label = {}
    for label in labels:
        hit = pairs[(label, label)]
        precision = hit / predicted_count[label] if predicted_count[label] else 0.0
        recall = hit / gold_count[label] if gold_count[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": gold_count[label],
        }
    accuracy = sum(pairs[(label, label)] for label in labels) / len(gold) if gold else 0.0
    macro = sum(value["f1"] for value in per_label.values()) / len(labels) if labels else 0.0
    return {
        "n": len(gold),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro, 4),
        "per_label": per_label,
    }


def batched[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
