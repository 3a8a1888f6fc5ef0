"""`loket eval type --data FILE --label-field PATH`: the built-in message-type detector, as a
new organisation gets it (no training), measured against gold message types.

Gold values are the `MessageType` values (question, complaint, report, compliment, opinion,
spam_abuse, other); "spam" and "abuse" count as spam_abuse and "other_…" (e.g.
"other_out_of_domain") as other. A gold value that is no type at all is kept and simply never
predicted; a file in which no gold value is a type is refused (a wrong --label-field).
"""

from __future__ import annotations

import argparse
from typing import Any

from loket.triage.contracts import MessageType
from loket.triage.evaluation.data import DataError, records, scores, texts_and_labels
from loket.triage.message_type import message_type

TYPES = frozenset(kind.value for kind in MessageType)
ALIASES = {"spam": "spam_abuse", "abuse": "spam_abuse", "spam/abuse": "spam_abuse"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="JSONL with `text` and the gold type")
    parser.add_argument("--label-field", required=True, help="dotted path, e.g. labels.type")


def gold_type(value: str) -> str:
    label = value.strip().lower().replace("-", "_").replace(" ", "_")
    if label.startswith("other_"):
        return "other"
    return ALIASES.get(label, label)


def run(args: argparse.Namespace) -> dict[str, Any]:
    texts, labels = texts_and_labels(records(args.data), args.label_field, where=f"{args.data}: ")
    gold = [gold_type(label) for label in labels]
    if not TYPES & set(gold):
        found = ", ".join(sorted(set(gold))[:5])
        raise DataError(
            f"{args.data}: no gold value in {args.label_field!r} is a message type ({found})"
        )
    predicted = [message_type(text).value for text in texts]
    return scores(gold, predicted)
