"""`loket eval abuse --data FILE`: the built-in abuse detector on HateCheck-style tests.

Gold is `labels.label_gold` (`hateful` / `non-hateful`); `labels.functionality` groups the
tests. A message counts as predicted hateful when the detector calls it hate: insults and
threats aimed at one person (or at a group that is not protected) are abuse the inbox marks,
but not hate, which is what HateCheck's label means. The record's `lang` picks the lexicon
(Dutch when there is none).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import Any

from loket.triage.abuse import AbuseKind, abuse
from loket.triage.evaluation.data import DataError, field, records

HATEFUL = "hateful"
NON_HATEFUL = "non-hateful"
_GOLD = {"hateful": HATEFUL, "non-hateful": NON_HATEFUL, "non_hateful": NON_HATEFUL}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="JSONL with text and labels.label_gold")


def run(args: argparse.Namespace) -> dict[str, Any]:
    rows = records(args.data)
    where = f"{args.data}: "
    gold: list[str] = []
    groups: list[str | None] = []
    texts: list[tuple[str, str]] = []
    for row in rows:
        text = str(field(row, "text", where=where))
        label = str(field(row, "labels.label_gold", where=where)).strip().lower()
        if label not in _GOLD:
            raise DataError(
                f"{where}record {row.get('id', '?')!r}: labels.label_gold is {label!r}, "
                "expected hateful or non-hateful"
            )
        labels = row.get("labels")
        functionality = labels.get("functionality") if isinstance(labels, dict) else None
        gold.append(_GOLD[label])
        groups.append(str(functionality) if functionality is not None else None)
        language = row.get("lang")
        texts.append((text, language if isinstance(language, str) and language else "nl"))
    predicted = [abuse(text, language).kind == AbuseKind.HATE for text, language in texts]
    return figures(gold, predicted, groups)


def figures(gold: list[str], predicted: list[bool], groups: list[str | None]) -> dict[str, Any]:
    hateful = [hit for label, hit in zip(gold, predicted, strict=True) if label == HATEFUL]
    benign = [hit for label, hit in zip(gold, predicted, strict=True) if label == NON_HATEFUL]
    per: dict[str, list[bool]] = defaultdict(list)
    for label, hit, group in zip(gold, predicted, groups, strict=True):
        if group is not None:
            per[group].append(hit == (label == HATEFUL))
    return {
        "n": len(gold),
        "hateful_recall": round(sum(hateful) / len(hateful), 4) if hateful else 0.0,
        "non_hateful_false_positive_rate": round(sum(benign) / len(benign), 4) if benign else 0.0,
        "per_functionality": {
            name: {"n": len(hits), "accuracy": round(sum(hits) / len(hits), 4)}
            for name, hits in sorted(per.items())
        },
    }
