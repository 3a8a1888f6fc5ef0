"""`loket eval language --data FILE [--default LANG] --json`: Loket's language detection against
the gold language in each record's `lang`.

Prints `{"n", "accuracy", "per_language": {lang: {"precision", "recall", "support"}}}`, with
`per_language` over the gold languages. Gold values are lower-cased and cut to their language
subtag ("nl-BE" is "nl"). A record in a language Loket does not detect ("es", "tr") counts as
gold "" (unknown): the right answer for it is to say that it is none of Loket's languages. An
empty `lang` is that too; a record without `lang` is bad input.

`--default` is the channel's default language the detector is given (none unless said): with
one, the one- and two-word messages that the rule table cannot settle count as that language.
`--strip-accents` takes the accents off every text first ("décidé" becomes "decide"), to measure
how well detection holds up on text typed without them.
"""

from __future__ import annotations

import argparse
import unicodedata
from typing import Any

from loket.triage import language
from loket.triage.evaluation.data import DataError, field, records, scores


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, help="JSONL with `text` and `lang`")
    parser.add_argument(
        "--default",
        default="",
        help="the channel's default language for short messages (nl, fr, en, de; none if unset)",
    )
    parser.add_argument(
        "--strip-accents", action="store_true", help="take the accents off every text first"
    )


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def gold_language(value: object) -> str:
    """One of Loket's languages, or "" for any other (or none)."""
    code = str(value).strip().lower().replace("_", "-").split("-")[0]
    return code if code in language.LANGUAGES else ""


def run(args: argparse.Namespace) -> dict[str, Any]:
    default = str(args.default).strip().lower()
    if default and default not in language.LANGUAGES:
        raise DataError(
            f"--default must be one of {', '.join(language.LANGUAGES)}, not {default!r}"
        )
    rows = records(args.data)
    where = f"{args.data}: "
    texts = [str(field(row, "text", where=where)) for row in rows]
    if args.strip_accents:
        texts = [strip_accents(text) for text in texts]
    # An explicit "lang": "" is a gold "unknown"; only a missing field (or null) is bad input.
    gold = [gold_language(field(row, "lang", where=where)) for row in rows]
    predicted = language.detect_languages(texts, default=default)
    result = scores(gold, predicted)
    return {
        "n": result["n"],
        "accuracy": result["accuracy"],
        "per_language": {
            lang: {key: figures[key] for key in ("precision", "recall", "support")}
            for lang, figures in result["per_label"].items()
        },
    }
