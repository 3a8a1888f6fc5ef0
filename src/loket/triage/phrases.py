"""Many regular expressions over one short text, fast: each is tried only where its first word is.

Python's `re` tries every branch of an alternation at every position of the text, so a rule
list of a few hundred phrases costs hundreds of microseconds per message. `PhraseIndex` splits
each pattern into its top-level alternatives, works out with which word each alternative can
start (``\\bkapot\\w*`` starts with a word beginning "kapot"; ``\\w*lamp\\b`` with a word that
contains "lamp"; ``\\bter hoogte van`` with the word "ter"), and at match time looks the words
of the text up in that index; the result per distinct word is cached, and citizens use the
same words again and again. An alternative whose first word cannot be worked out (``\\?``,
``^…``) is simply run over the whole text.

The first words are read from the parsed pattern (`re._parser`, Python's own parser); should
that fail on another Python version, every alternative is run over the whole text: slower, the
same result.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

TOKEN: Final = re.compile(r"\w+")
_WORD_START: Final = re.compile(r"\w+")
_CACHE_LIMIT: Final = 100_000

try:  # the parser's module name changed in 3.11 (sre_parse); both are internal, hence the guard
    _parser: Any = importlib.import_module("re._parser")
    _constants: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover
    _parser = _constants = None


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern: ``a|(b|c)|d`` → ``a``, ``(b|c)``, ``d``."""
    parts = []
    depth = 0
    in_class = False
    start = 0
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
        index += 1
    parts.append(pattern[start:])
    if len(parts) == 1 and _is_one_group(pattern):
        return split_alternatives(pattern[3:-1])  # "(?:a|b)" is "a|b"
    return parts


def _is_one_group(pattern: str) -> bool:
    """Whether the pattern is a single non-capturing group, "(?:…)", with nothing after it."""
    if not pattern.startswith("(?:") or not pattern.endswith(")"):
        return False
    depth = 0
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index == len(pattern) - 1
        index += 1
    return False


def _literals(items: list[Any], acc: str) -> set[str] | None:
    """The literal strings a match of `items` can start with, or None if it can start with
    anything (a character class, ``\\w``, ``.``)."""
    c = _constants
    index = 0
    while index < len(items):
        op, value = items[index]
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            if acc:
                return {acc}
            index += 1
            continue
        if op is c.LITERAL:
            acc += chr(value)
            index += 1
            continue
        rest = list(items[index + 1 :])
        if op is c.SUBPATTERN:
            return _literals(list(value[-1]) + rest, acc)
        if op is c.BRANCH:
            found: set[str] = set()
            for branch in value[1]:
                literals = _literals(list(branch) + rest, acc)
                if literals is None:
                    return None
                found |= literals
            return found
        if op is c.IN and list(value) == [(c.CATEGORY, c.CATEGORY_DIGIT)]:
            return {acc + digit for digit in "0123456789"}  # "\\d": a word starting with a digit
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            if acc:
                return {acc}
            low, _high, body = value
            if low == 0:
                once = _literals(list(body) + rest, acc)
                never = _literals(rest, acc)
                return None if once is None or never is None else once | never
            return _literals(list(body), acc)
        return {acc} if acc else None
    return {acc} if acc else None


def _is_word_repeat(item: tuple[Any, Any]) -> bool:
    """``\\w*`` or ``\\w+`` (or a class holding only \\w)."""
    c = _constants
    op, value = item
    if op not in (c.MAX_REPEAT, c.MIN_REPEAT):
        return False
    low, _high, body = value
    return (
        low <= 1
        and len(body) == 1
        and body[0][0] is c.IN
        and list(body[0][1]) == [(c.CATEGORY, c.CATEGORY_WORD)]
    )


@dataclass(frozen=True, slots=True)
class _Starts:
    exact: tuple[str, ...] = ()  # the word is this (a phrase goes on after it)
    prefix: tuple[str, ...] = ()  # the word starts with this
    contains: tuple[str, ...] = ()  # the word holds this (a compound's head)


def _anchored(alternative: str) -> bool:
    """Whether the alternative can only match at the start of the text ("^…")."""
    if _parser is None:
        return False
    try:
        items = list(_parser.parse(alternative))
    except Exception:
        return False
    return bool(items) and items[0] == (_constants.AT, _constants.AT_BEGINNING)


def _starts(alternative: str) -> _Starts | None:
    if _parser is None:
        return None
    try:
        items = list(_parser.parse(alternative))
    except Exception:  # a pattern this parser reads differently: run it everywhere
        return None
    c = _constants
    while items and items[0][0] in (c.AT, c.ASSERT, c.ASSERT_NOT):
        if items[0] == (c.AT, c.AT_BEGINNING):
            return None
        items = items[1:]
    if items and _is_word_repeat(items[0]):
        heads = _literals(items[1:], "")
        if not heads:
            return None
        words = [_WORD_START.match(head) for head in heads]
        if not all(words):
            return None
        return _Starts(contains=tuple(word.group() for word in words if word))
    literals = _literals(items, "")
    if not literals:
        return None
    exact: list[str] = []
    prefix: list[str] = []
    for literal in literals:
        word = _WORD_START.match(literal)
        if word is None:
            return None
        (exact if word.end() < len(literal) else prefix).append(word.group())
    return _Starts(exact=tuple(exact), prefix=tuple(prefix))


@dataclass(frozen=True, slots=True)
class Hit[L: Hashable]:
    label: L
    start: int
    end: int


class PhraseIndex[L: Hashable]:
    """Labelled patterns; `hits(text)` gives every match of every alternative, in text order."""

    def __init__(self, entries: Sequence[tuple[L, str]], *, flags: int = 0) -> None:
        self._patterns: list[re.Pattern[str]] = []
        self._labels: list[L] = []
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        self._contains: dict[str, list[int]] = {}
        self._everywhere: list[int] = []
        self._at_start: list[int] = []
        for label, pattern in entries:
            for alternative in split_alternatives(pattern):
                number = len(self._patterns)
                self._patterns.append(re.compile(alternative, flags))
                self._labels.append(label)
                starts = _starts(alternative)
                if starts is None:
                    (self._at_start if _anchored(alternative) else self._everywhere).append(number)
                    continue
                for table, keys in (
                    (self._exact, starts.exact),
                    (self._prefix, starts.prefix),
                    (self._contains, starts.contains),
                ):
                    for key in keys:
                        table.setdefault(key, []).append(number)
        self._prefix_lengths = sorted({len(key) for key in self._prefix})
        self._cache: dict[str, tuple[int, ...]] = {}

    @property
    def run_everywhere(self) -> int:
        """How many alternatives have no first word (for a test that keeps this small)."""
        return len(self._everywhere)

    def _candidates(self, word: str) -> tuple[int, ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        found: set[int] = set(self._exact.get(word, ()))
        for length in self._prefix_lengths:
            if length > len(word):
                break
            found.update(self._prefix.get(word[:length], ()))
        for head, numbers in self._contains.items():
            if head in word:
                found.update(numbers)
        result = tuple(sorted(found))
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = result
        return result

    def hits(self, text: str) -> list[Hit[L]]:
        found: list[Hit[L]] = []
        patterns, labels = self._patterns, self._labels
        for token in TOKEN.finditer(text):
            for number in self._candidates(token.group()):
                match = patterns[number].match(text, token.start())
                if match:
                    found.append(Hit(labels[number], match.start(), match.end()))
        for number in self._at_start:
            match = patterns[number].match(text)
            if match:
                found.append(Hit(labels[number], match.start(), match.end()))
        for number in self._everywhere:
            found.extend(
                Hit(labels[number], match.start(), match.end())
                for match in patterns[number].finditer(text)
            )
        if self._at_start or self._everywhere:
            found.sort(key=lambda hit: hit.start)
        return found

    def labels_in(self, text: str) -> Iterator[L]:
        seen = set()
        for hit in self.hits(text):
            if hit.label not in seen:
                seen.add(hit.label)
                yield hit.label
