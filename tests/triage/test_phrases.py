"""PhraseIndex: the same matches as the plain patterns would find, only faster."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from loket.triage import message_type, urgency
from loket.triage.phrases import PhraseIndex, split_alternatives
from loket.triage.textnorm import fold

DATA = Path(__file__).parent / "data" / "type_urgency_messages.jsonl"


@pytest.mark.parametrize(
    ("pattern", "parts"),
    [
        ("a|b", ["a", "b"]),
        ("(?:a|b)", ["a", "b"]),
        ("(?:a|b)c", ["(?:a|b)c"]),
        ("(?:a)|(?:b)", ["(?:a)", "(?:b)"]),
        (r"\b(?:x|y)\b|z", [r"\b(?:x|y)\b", "z"]),
        ("[|]a|b", ["[|]a", "b"]),
        (r"a\|b|c", [r"a\|b", "c"]),
        ("[]|]x|y", ["[]|]x", "y"]),
    ],
)
def test_split_alternatives(pattern: str, parts: list[str]) -> None:
    assert split_alternatives(pattern) == parts


def test_hits_in_text_order_with_labels() -> None:
    index = PhraseIndex(
        [
            ("defect", r"\bkapot\w*|\bgaat niet (?:meer )?open\b"),
            ("object", r"\w*lamp(?:en)?\b|\bter hoogte van\b"),
            ("digits", r"\b\d+ keer\b"),
            ("mark", r"\?"),
            ("start", r"^hallo\b"),
        ]
    )
    text = "hallo, de straatlampen ter hoogte van nr 3 zijn kapotte dingen, 3 keer gemeld?"
    hits = index.hits(text)
    assert [(hit.label, text[hit.start : hit.end]) for hit in hits] == [
        ("start", "hallo"),
        ("object", "straatlampen"),
        ("object", "ter hoogte van"),
        ("defect", "kapotte"),
        ("digits", "3 keer"),
        ("mark", "?"),
    ]
    assert list(index.labels_in(text)) == ["start", "object", "defect", "digits", "mark"]
    assert index.hits("niets aan de hand") == []


def test_whole_words_only_where_the_pattern_says_so() -> None:
    index = PhraseIndex([("fire", r"\bbrand\b"), ("head", r"\w*container\w*")])
    assert [hit.label for hit in index.hits("de brandweer en de restafvalcontainers")] == ["head"]
    assert [hit.label for hit in index.hits("brand!")] == ["fire"]


def test_only_first_words_it_cannot_work_out_run_everywhere() -> None:
    assert message_type._INDEX.run_everywhere <= 5
    assert urgency._INDEX.run_everywhere == 0


@pytest.mark.parametrize(
    ("index", "entries"),
    [
        (
            message_type._INDEX,
            [(number, signal.pattern) for number, signal in enumerate(message_type.SIGNALS)],
        ),
        (urgency._INDEX, [(number, rule.pattern) for number, rule in enumerate(urgency.RULES)]),
    ],
)
def test_the_index_finds_what_the_plain_patterns_find(
    index: PhraseIndex[int], entries: list[tuple[int, str]]
) -> None:
    compiled = [(label, re.compile(pattern)) for label, pattern in entries]
    texts = [fold(json.loads(line)["text"]) for line in DATA.read_text("utf-8").splitlines()]
    for text in texts:
        expected = {label for label, pattern in compiled if pattern.search(text)}
        assert set(index.labels_in(text)) == expected, text
