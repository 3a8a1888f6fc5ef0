"""`loket eval KIND …`: measure a triage detector on a labelled JSONL file.

Runs without Django settings or a database (the detectors are plain Python), so that it works
on any installation. Each kind lives in its own module here, with `add_arguments(parser)` and
`run(args) -> dict`; the result is printed as one JSON object. Bad input (a missing file, an
empty file, a record without the field) is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from loket.triage.evaluation.data import DataError

# kind → (module, one-line help). A kind whose module is not there says so and exits 2.
KINDS: dict[str, tuple[str, str]] = {
    "classify": ("classify", "train the topic classifier on --train, measure it on --test"),
    "language": ("language", "language detection (gold in `lang`)"),
    "sentiment": ("sentiment", "the built-in sentiment model"),
    "abuse": ("abuse", "the built-in abuse detector (gold in labels.label_gold)"),
    "type": ("message_type", "the built-in message-type detector"),
    "urgency": ("urgency", "the built-in urgency detector (urgent / normal)"),
    "themes": ("themes", "theme clustering of contributions"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line and exit 2, like every bad input
        raise DataError(message)


def main(argv: Sequence[str]) -> int:
    parser = _Parser(prog="loket eval", description=(__doc__ or "").splitlines()[0])
    kinds = parser.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    runners: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {}
    for kind, (module_name, summary) in KINDS.items():
        sub = kinds.add_parser(kind, help=summary)
        sub.add_argument("--json", action="store_true", help="print one JSON object (default)")
        try:
            module = importlib.import_module(f"loket.triage.evaluation.{module_name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"loket.triage.evaluation.{module_name}":
                raise
            continue
        module.add_arguments(sub)
        runners[kind] = module.run
    try:
        args, unknown = parser.parse_known_args(list(argv))
        if args.kind not in runners:
            raise DataError(f"`loket eval {args.kind}` is not available in this version")
        if unknown:
            raise DataError(f"unrecognized arguments: {' '.join(unknown)}")
        result = runners[args.kind](args)
    except DataError as error:
        print(f"loket eval: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))
    return 0
