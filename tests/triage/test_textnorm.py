"""Folding for rule matching keeps the length, so cues can be shown in the original spelling."""

from __future__ import annotations

import pytest

from loket.triage.textnorm import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Gaslucht in de Brouwerijstraat", "gaslucht in de brouwerijstraat"),
        (
            "Où est la déchetterie ? Ça coûte combien ?",
            "ou est la dechetterie ? ca coute combien ?",
        ),
        ("suïcidaal, geërgerd, ŁÓDŹ", "suicidaal, geergerd, lodz"),
        ("l’avenue — ‘s avonds", "l'avenue - 's avonds"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_a_character_whose_lower_case_is_longer_keeps_the_length() -> None:
    text = "İstanbul straat"
    assert len(fold(text)) == len(text)
    assert fold(text).endswith("stanbul straat")
