"""`loket eval urgency --data FILE --label-field PATH`: the built-in urgency rules (no training)
against gold labels `urgent` / `normal`.

Booleans and their usual spellings (true/false, yes/no, 1/0) are read as urgent/normal too;
any other gold value is refused with the record that holds it.
"""

from __future__ import annotations

import argparse
from typing import Any

from loket.triage.evaluation.data import DataError, records, scores, texts_and_labels
from loket.triage.urgency import NORMAL, URGENT, is_urgent

GOLD = {
    URGENT: URGENT,
    "true": URGENT,
    "yes": URGENT,
    "1": URGENT,
    NORMAL: NORMAL,
    "false": NORMAL,
    "no": NORMAL,
    "0": NORMAL,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="JSONL with `text` and the gold urgency")
    parser.add_argument("--label-field", required=True, help="dotted path, e.g. labels.urgency")


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows = records(args.data)
    texts, labels = texts_and_labels(rows, args.label_field, where=f"{args.data}: ")
    gold = []
    for row, label in zip(rows, labels, strict=True):
        value = GOLD.get(label.strip().lower())
        if value is None:
            raise DataError(
                f"{args.data}: record {row.get('id', '?')!r} has {args.label_field}={label!r};"
                " expected urgent or normal"
            )
        gold.append(value)
    predicted = [URGENT if is_urgent(text) else NORMAL for text in texts]
    return scores(gold, predicted)
