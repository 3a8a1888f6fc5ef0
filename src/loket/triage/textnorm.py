"""Folding text for rule matching: lower case without accents, the same length as the original.

Keeping the length lets a detector show the cue that fired in the citizen's own spelling
(``text[match.start():match.end()]``) while its patterns are written without accents.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_ACCENTED = "àáâãäåāçćčèéêëēęěìíîïīñńňòóôõöøōùúûüūůýÿžźżšśłđ"


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    table = {}
    for char in _ACCENTED + _ACCENTED.upper():
        base = unicodedata.normalize("NFD", char)[0].lower()
        table[ord(char)] = base
    table[ord("ł")] = table[ord("Ł")] = "l"
    table[ord("đ")] = table[ord("Đ")] = "d"
    table[ord("ø")] = table[ord("Ø")] = "o"
    # Typographic apostrophes and dashes as their plain forms, so that patterns need one spelling.
    table.update({ord("’"): "'", ord("‘"): "'", ord("–"): "-", ord("—"): "-"})
    return table


def fold(text: str) -> str:
    """Lower case, accents removed; ``len(fold(text)) == len(text)`` for NFC text."""
    folded = text.lower().translate(_table())
    if len(folded) != len(text):  # a rare character whose lower case is longer ("İ")
        folded = "".join(ch.lower()[0] if ch.lower() else ch for ch in text).translate(_table())
    return folded
