"""`loket eval sentiment --data FILE --label-field PATH`: the built-in sentiment model, untrained.

Gold labels are positive / neutral / negative. A file may hold records labelled for several
tasks, each naming its task in `task` (a tweet set with polarity, emotion and proactivity rows):
then only the records of the tasks that carry the label count, and a record of such a task
without the label is bad input like anywhere else.
"""

from __future__ import annotations

import argparse
from typing import Any

from loket.triage.contracts import Sentiment
from loket.triage.evaluation.data import DataError, field, records, scores
from loket.triage.sentiment import sentiment

LABELS = frozenset(label.value for label in Sentiment)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="labelled JSONL file")
    parser.add_argument(
        "--label-field", required=True, help="dotted path to the gold label, e.g. labels.polarity"
    )
    parser.add_argument(
        "--language",
        default="",
        help="language of every message (default: each record's `lang`, else nl)",
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows = _for_task(records(args.data), args.label_field)
    where = f"{args.data}: "
    gold = []
    predicted = []
    for row in rows:
        label = str(field(row, args.label_field, where=where)).strip().lower()
        if label not in LABELS:
            raise DataError(
                f"{where}record {row.get('id', '?')!r} has label {label!r}, "
                "not positive, neutral or negative"
            )
        text = str(field(row, "text", where=where))
        language = args.language or str(row.get("lang") or "nl")
        gold.append(label)
        predicted.append(sentiment(text, language).value)
    result = scores(gold, predicted)
    return {"n": result["n"], "macro_f1": result["macro_f1"], "accuracy": result["accuracy"]}


def _for_task(rows: list[dict[str, Any]], label_path: str) -> list[dict[str, Any]]:
    """Without the records of tasks that never carry the label, when records name their task."""
    labelled_tasks = {row.get("task") for row in rows if _has(row, label_path)}
    if not labelled_tasks:
        return rows  # the first record then says which field it lacks
    return [row for row in rows if row.get("task") is None or row.get("task") in labelled_tasks]


def _has(row: dict[str, Any], path: str) -> bool:
    try:
        field(row, path)
    except DataError:
        return False
    return True
