"""Abuse in citizen messages: insults, threats and hate, Dutch first (French, English basic).

Plain Python with the project's own lexicon (`abuse_lexicon`), no model and no Django, so that
`loket eval abuse` and the intake worker can both call it. What it does, in order:

1. Fold the text the way people obfuscate it away: lower case without accents, leetspeak
   (`h44t`), repeated letters (`haaaat`), letters spaced out (`h a a t`), a word split in two
   (`vlucht elingen`), two words glued (`ikhaat`), one letter dropped or two swapped. Fuzzy
   matches only ever land on lexicon words, and never on a real word that happens to be one
   letter away (`hoe` is not `hoer`).
2. Cut the message into sentences and clauses; a clause without a target of its own borrows
   the group named just before ("Ik ken veel X en ze zijn …").
3. Hate is a protected group plus something said about it: hatred, dehumanisation, a
   derogatory predicate, exclusion, a threat with a first person or a modal, a slur, or a
   positive quality denied ("X zijn niet welkom"). It is not hate when the statement is
   negated ("ik haat X niet"), quoted or reported to condemn it ("het is niet oké om X ratten
   te noemen"), about someone else ("mensen die X haten"), or when the group is the victim.
4. Threats and insults aimed at a person (no protected group) are their own kinds; swearing
   that is aimed at nobody ("godverdomme, weer file") is not abuse.

The result says which words decided it, for the case page's explanation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from loket.triage import abuse_lexicon as lx


class AbuseKind(StrEnum):
    INSULT = "insult"
    THREAT = "threat"
    HATE = "hate"


@dataclass(frozen=True)
class AbuseResult:
    is_abusive: bool
    kind: AbuseKind | None
    matched: tuple[str, ...] = ()  # the words that decided it, as written in the message
    # For hate the protected group ("moslims"); for an insult or threat "you" when it is
    # aimed at the reader, "" when at someone else ("die idioten die hier parkeren").
    target: str = ""


NOT_ABUSIVE = AbuseResult(is_abusive=False, kind=None)
YOU = "you"


def abuse(text: str, language: str = "nl") -> AbuseResult:
    """Whether `text` insults, threatens or spreads hate, and which words say so."""
    return _Detector.get(language).detect(text)


def abuse_many(texts: Iterable[str], language: str = "nl") -> list[AbuseResult]:
    detector = _Detector.get(language)
    return [detector.detect(text) for text in texts]


# --- folding ----------------------------------------------------------------------------

_QUOTES = '"“”„«»‟'
_APOSTROPHES = "'’‘`´"
_PRE_FOLD = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), "€": "e"})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b",
                       "@": "a", "$": "s", "|": "l", "!": "i", "+": "t"})  # fmt: skip
_LEET_L = str.maketrans({"1": "l", "|": "i"})
_TOKEN = re.compile(r"[\w@$€|!*+'’‘`´]+|[\"“”„«»‟]|[.?!…;:,()\n]")
_SENTENCE_END = frozenset(".?!…\n")
_CLAUSE_END = frozenset(";:,()")
# What a word can start in the first pass: the full analysis, or a phrase check.
_NOTHING = ""
_STRONG = "strong"
_AIMED = "aimed"
_PHRASE = "phrase"
_PHRASE_CATEGORIES = frozenset((lx.THREAT_PHRASE, lx.INSULT_PHRASE, lx.GO_BACK))
# Characters that may stand at the edge of a token and are then not part of the word.
_EDGES = frozenset("'!*|\"“”„«»‟.?…;:,()\n")
_WORD = re.compile(r"[\w@$|*+']+(?:!+[\w@$|*+']+)*")
_COMBINING = re.compile("[\u0300-\u036f]")
_CACHE_SIZE = 200_000
_REPEATS = re.compile(r"(.)\1{2,}")
_ANY_REPEAT = re.compile(r"(.)\1+")
QUOTE = '"'


def _fold_text(text: str) -> str | None:
    """Lower case without accents, one character for one (so that spans stay valid); None
    when that is not possible (then each word is folded on its own)."""
    lowered = text.lower().translate(_PRE_FOLD)
    if lowered.isascii():
        return lowered if len(lowered) == len(text) else None
    folded = _COMBINING.sub("", unicodedata.normalize("NFD", lowered))
    return folded if len(folded) == len(text) else None


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.translate(_PRE_FOLD))
    return "".join(ch for ch in word if not unicodedata.combining(ch))


class _Token(NamedTuple):
    text: str  # folded, de-obfuscated
    start: int  # span in the original message
    end: int
    quoted: bool = False


@dataclass
class _Hit:
    category: str
    start: int  # token indices in the clause, end exclusive
    end: int
    positions: tuple[int, ...] = ()  # explicit (non-gap) positions of a phrase
    label: str = ""  # the group's name, for groups and slurs


@dataclass
class _Clause:
    tokens: list[_Token]
    sentence: int
    hits: list[_Hit]
    words: list[str]
    question: bool = False  # the sentence ends in "?": "zijn X niet walgelijk?" is no negation

    def has(self, category: str) -> bool:
        return any(hit.category == category for hit in self.hits)

    def of(self, category: str) -> list[_Hit]:
        return [hit for hit in self.hits if hit.category == category]


Phrase = tuple[frozenset[str] | int, ...]  # a word set per position; an int is a gap


def _compile_phrase(spec: str) -> Phrase:
    positions: list[frozenset[str] | int] = []
    for part in spec.split():
        if part.startswith("~"):
            positions.append(int(part[1:] or 3))
        else:
            positions.append(frozenset(part.split("|")))
    if not positions or isinstance(positions[0], int) or isinstance(positions[-1], int):
        raise ValueError(f"a phrase starts and ends with a word: {spec!r}")
    return tuple(positions)


def _match(words: Sequence[str], i: int, phrase: Phrase, k: int = 0) -> list[int] | None:
    """The indices of the phrase's words when it matches at `i`, else None."""
    if k == len(phrase):
        return []
    position = phrase[k]
    if isinstance(position, int):
        for skip in range(position + 1):
            found = _match(words, i + skip, phrase, k + 1)
            if found is not None:
                return found
        return None
    if i < len(words) and words[i] in position:
        rest = _match(words, i + 1, phrase, k + 1)
        if rest is not None:
            return [i, *rest]
    return None


# Words that may stand between a swear word and the group it is aimed at ("kut alle X").
_BETWEEN = frozenset(
    "een die deze elke iedere zo'n geen typisch als alle vuile vieze smerige domme stomme "
    "achterlijke luie kut kanker fucking un une ces cette tous toutes a an every any those "
    "these all".split()
)


class _Detector:
    """One language's lexicon, compiled once and kept (they are small)."""

    _instances: dict[str, _Detector] = {}

    @classmethod
    def get(cls, language: str) -> _Detector:
        key = language if language in lx.LEXICONS else "nl"
        if key not in cls._instances:
            cls._instances[key] = cls(lx.LEXICONS[key])
        return cls._instances[key]

    def __init__(self, lexicon: lx.Lexicon) -> None:
        self.lexicon = lexicon
        self.categories: dict[str, set[str]] = {}
        for category, members in lexicon.words.items():
            for word in members:
                self.categories.setdefault(word, set()).add(category)
        self.slurs = lexicon.slur_targets
        for word in self.slurs:
            self.categories.setdefault(word, set()).add(lx.SLUR)
        self.groups: dict[tuple[str, ...], str] = {
            tuple(phrase.split()): name for phrase, name in lexicon.groups.items()
        }
        self.group_firsts = {key[0] for key in self.groups}
        self.group_max = max(len(key) for key in self.groups)
        self.group_words = {key[0] for key in self.groups if len(key) == 1}
        # Lexicon words that obfuscated spellings are folded back to.
        self.keys: set[str] = set(self.categories) | self.group_words | set(self.slurs)
        self.keys |= {word for key in self.groups for word in key if word not in lexicon.common}
        self.keys |= set(lexicon.bare_groups)
        self.common = lexicon.common
        self.function = lexicon.words.get(lx.FUNCTION, frozenset()) | lexicon.common
        self.phrases: dict[str, list[tuple[str, Phrase]]] = {}
        for category, specs in lexicon.phrases.items():
            for spec in specs:
                phrase = _compile_phrase(spec)
                first = phrase[0]
                for word in first if not isinstance(first, int) else ():
                    self.phrases.setdefault(word, []).append((category, phrase))
        self.real = lx.REAL_WORDS.get(lexicon.language, frozenset())
        self.others = lexicon.words[lx.YOU] | lexicon.others
        self.objects = lexicon.objects
        self.collectives = lexicon.collectives
        self.variants = self._variants() if lexicon.fuzzy else {}
        self.skeletons = self._skeletons() if lexicon.fuzzy else {}
        self.resolve = lru_cache(maxsize=_CACHE_SIZE)(self._resolve)
        self.triggers, self.phrase_triggers = self._triggers()
        self.aimed_triggers = self._aimed_triggers()
        self.aims = (
            lexicon.words[lx.YOU]
            | lexicon.words[lx.PERSON]
            | lexicon.objects
            | lexicon.collectives
            | {"wat", "quel", "quelle", "what"}
        )
        # Lexicon words cut in two ("vlucht elingen", "wal gelijk").
        self.halves = {
            (key[:i], key[i:])
            for key in self.triggers | self.aimed_triggers
            if len(key) >= 6
            for i in range(2, len(key))
            if key[:i] not in self.function and key[i:] not in self.function
        }
        self.interesting: dict[str, str] = {}

    # -- obfuscation -------------------------------------------------------------------

    def _variants(self) -> dict[str, str]:
        """One letter dropped or two neighbours swapped → the lexicon word, when that is
        unambiguous and not itself a real word."""
        found: dict[str, set[str]] = {}
        real = self.real
        for key in self.keys:
            if len(key) < 4 or " " in key:
                continue
            forms = {key[:i] + key[i + 1 :] for i in range(len(key))}
            forms |= {
                key[:i] + key[i + 1] + key[i] + key[i + 2 :]
                for i in range(len(key) - 1)
                if key[i] != key[i + 1]
            }
            skeleton = _ANY_REPEAT.sub(r"\1", key)
            forms.add(skeleton)
            for form in forms:
                if form != key and len(form) >= 3:
                    found.setdefault(form, set()).add(key)
        return {
            form: next(iter(keys))
            for form, keys in found.items()
            if len(keys) == 1
            and form not in self.keys
            and form not in self.function
            and form not in real
            and "'" not in form.strip("'")[:-2]
        }

    def _triggers(self) -> tuple[set[str], set[str]]:
        """Words without which a message cannot be abusive. Hate needs a group (or a slur);
        a threat or insult needs a word of its own, or the phrase that its telling word
        ("eraan" in "je gaat eraan") belongs to."""
        own = {lx.SLUR, lx.INSULT, lx.THREAT}
        triggers = {word for word, categories in self.categories.items() if categories & own}
        generic = self.function | self.lexicon.words[lx.PERSON] | self.lexicon.generic
        for key in self.groups:
            triggers.add(next((word for word in key if word not in generic), key[0]))
        triggers |= set(self.lexicon.bare_groups)
        plain = self.function | self.lexicon.words[lx.YOU] | self.lexicon.words[lx.FIRST]
        phrase_triggers: set[str] = set()
        for category in (lx.THREAT, lx.THREAT_PHRASE, lx.INSULT_PHRASE, lx.GO_BACK):
            for spec in self.lexicon.phrases.get(category, ()):
                positions = [set(p.split("|")) for p in spec.split() if not p.startswith("~")]
                telling = [p for p in positions if not p & plain] or positions
                phrase_triggers |= telling[0]
        return triggers, phrase_triggers - triggers

    def _aimed_triggers(self) -> set[str]:
        """Words that insult only when aimed at someone ("vies", "zak"): worth a look when
        the message also speaks to or of a person."""
        aimed = {lx.INSULT_WEAK, lx.ANIMAL, lx.ACCUSE, lx.INSULT_ADJ, lx.DEROGATE, lx.DEHUMANISE}
        return {
            word
            for word, categories in self.categories.items()
            if categories & aimed and word not in self.triggers
        }

    def _skeletons(self) -> dict[str, str]:
        """Every doubled letter made single → the lexicon word ("ongediertee" → ongedierte)."""
        found: dict[str, set[str]] = {}
        for key in self.keys:
            if len(key) >= 4:
                found.setdefault(_ANY_REPEAT.sub(r"\1", key), set()).add(key)
        return {skeleton: next(iter(keys)) for skeleton, keys in found.items() if len(keys) == 1}

    def _known(self, word: str) -> bool:
        return word in self.keys or word in self.function

    def _resolve(self, word: str) -> tuple[str, ...]:
        """The lexicon spelling of one folded word, or the words it was glued from."""
        if self._known(word):
            return (word,)
        if any(ch.isdigit() or ch in "@$|!+" for ch in word) and any(ch.isalpha() for ch in word):
            plain = word.translate(_LEET)
            other = word.translate(_LEET_L).translate(_LEET)
            for candidate in (plain, other):
                if self._known(candidate):
                    return (candidate,)
            word = plain
        if _REPEATS.search(word):
            double = _REPEATS.sub(r"\1\1", word)
            if self._known(double):
                return (double,)
            single = _REPEATS.sub(r"\1", word)
            if self._known(single):
                return (single,)
            word = double
        if word in self.real:
            return (word,)
        if word in self.variants:
            return (self.variants[word],)
        skeleton = _ANY_REPEAT.sub(r"\1", word)
        if skeleton != word and skeleton in self.skeletons:
            return (self.skeletons[skeleton],)
        if "*" in word and len(word) >= 3:
            pattern = re.compile(re.escape(word).replace(r"\*", "."))
            candidates = sorted(key for key in self.keys if pattern.fullmatch(key))
            if len(candidates) == 1:
                return (candidates[0],)
        return self._split(word) or (word,)

    def _split(self, word: str, depth: int = 0) -> tuple[str, ...] | None:
        """`ikhaat` → ik haat, `haatmoslims` → haat moslims, `moslimszijn` → moslims zijn.
        Never `moslimhaters` (a group's name splits off only a copula or another group) and
        never ordinary words (`negeren` is not `neger en`): the parts must be exact, and one
        is a group or the head is a pronoun or a copula."""
        if len(word) < 5 or depth > 2:
            return None
        glue = self.lexicon.glue
        for i in range(len(word) - 2, 1, -1):
            head, tail = word[:i], word[i:]
            if (head, tail) in self.groups:
                return (head, tail)  # "zwartemensen"
            if head in self.group_words:
                if tail in glue or tail in self.group_words:
                    return (head, tail)
                continue  # "moslimterroristen": a compound noun, not two words
            if tail in self.group_words and (
                head in glue or (len(head) >= 3 and head in self.keys)
            ):
                return (head, tail)
            if head in glue and tail not in self.lexicon.suffixes:
                if tail in self.keys and len(tail) >= 4 and tail not in self.function:
                    return (head, tail)
                rest = self._split(tail, depth + 1)
                if rest is not None:
                    return (head, *rest)
        return None

    # -- tokens ------------------------------------------------------------------------

    def worth_a_look(self, folded: str) -> bool:
        """Cheap first pass: does a word (or its de-obfuscated form) belong to the lexicon,
        or does a threat or insult phrase match? Most messages stop here."""
        singles = 0
        cache = self.interesting
        previous = ""
        words = _WORD.findall(folded)
        phrase_words = aimed_words = False
        for word in words:
            verdict = cache.get(word)
            if verdict is None:
                if len(cache) > _CACHE_SIZE:
                    cache.clear()
                verdict = cache[word] = self._interesting(word)
            if verdict == _STRONG or (previous, word) in self.halves:
                return True
            phrase_words = phrase_words or verdict == _PHRASE
            aimed_words = aimed_words or verdict == _AIMED
            singles = singles + 1 if len(word) == 1 else 0
            if singles >= 3:
                return True  # "h a a t"
            previous = word
        if aimed_words and (len(words) <= 3 or any(word in self.aims for word in words)):
            return True  # "wat een zak", "je bent vies", "Idioot!"
        return phrase_words and self._phrase_in(words)

    def _phrase_in(self, words: list[str]) -> bool:
        """Whether a threat or insult phrase matches the plain words ("pas maar op"); a
        violent verb counts only with someone to aim it at."""
        aimed = any(word in self.aims for word in words)
        for index, word in enumerate(words):
            for category, phrase in self.phrases.get(word, ()):
                wanted = category in _PHRASE_CATEGORIES or (category == lx.THREAT and aimed)
                if wanted and _match(words, index, phrase) is not None:
                    return True
        return False

    def _interesting(self, word: str) -> str:
        word = word.strip("'*|")
        if not word:
            return _NOTHING
        parts = self.resolve(word)
        if any(part in self.triggers for part in parts):
            return _STRONG
        if any(part in self.aimed_triggers for part in parts):
            return _AIMED
        if any(part in self.phrase_triggers for part in parts):
            return _PHRASE
        return _NOTHING

    def tokens(self, text: str) -> list[_Token]:
        folded = _fold_text(text)
        raw: list[tuple[str, int, int]] = []
        for match in _TOKEN.finditer(folded if folded is not None else text.lower()):
            piece, start, end = match.group(), match.start(), match.end()
            if piece[0] not in _EDGES and piece[-1] not in _EDGES:
                raw.append((piece if folded is not None else _fold(piece), start, end))
                continue
            if len(piece) == 1 and not piece.isalnum() and piece not in "@$|*+'":
                raw.append((QUOTE if piece in _QUOTES else piece, start, end))
                continue
            lead = len(piece) - len(piece.lstrip("'!*|"))
            trail = len(piece) - len(piece.rstrip("'!"))
            for offset in range(lead):
                if piece[offset] == "'":
                    raw.append((QUOTE, start + offset, start + offset + 1))
            core = piece[lead : len(piece) - trail]
            if core:
                raw.append((core if folded is not None else _fold(core), start + lead, end - trail))
            for offset in range(len(piece) - trail, len(piece)):
                raw.append(
                    (QUOTE if piece[offset] == "'" else ".", start + offset, start + offset + 1)
                )
        raw = self._join_spelled_out(raw)
        tokens: list[_Token] = []
        quoted = False
        for word, start, end in raw:
            if word == QUOTE:
                quoted = not quoted
                tokens.append(_Token(QUOTE, start, end))
            elif len(word) == 1 and not word.isalnum():
                tokens.append(_Token(word, start, end))
            else:
                for part in self.resolve(word):
                    tokens.append(_Token(part, start, end, quoted))
        return tokens

    def _join_spelled_out(self, raw: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """`h a a t` → haat; `vlucht elingen` → vluchtelingen."""
        joined: list[tuple[str, int, int]] = []
        i = 0
        count = len(raw)
        while i < count:
            word, start, end = raw[i]
            if len(word) == 1 and word.isalnum():
                j = i
                while j + 1 < count and len(raw[j + 1][0]) == 1 and raw[j + 1][0].isalnum():
                    j += 1
                if j - i >= 2:
                    letters = "".join(piece for piece, _, _ in raw[i : j + 1])
                    joined.append((letters, start, raw[j][2]))
                    i = j + 1
                    continue
            elif i + 1 < count and (word, raw[i + 1][0]) in self.halves:
                joined.append((word + raw[i + 1][0], start, raw[i + 1][2]))
                i += 2
                continue
            joined.append((word, start, end))
            i += 1
        return joined

    # -- clauses -----------------------------------------------------------------------

    def clauses(self, tokens: list[_Token]) -> list[_Clause]:
        clauses: list[_Clause] = []
        sentence = 0
        current: list[_Token] = []
        starters = self.lexicon.words[lx.PRONOUN] | self.lexicon.words[lx.FIRST]
        starters |= self.lexicon.words[lx.YOU] | {"het", "dat", "er", "il", "ils", "it"}

        def close() -> None:
            if current:
                clauses.append(self._clause(list(current), sentence))
                current.clear()

        questions = set()
        for index, token in enumerate(tokens):
            if token.text == QUOTE:
                continue
            if token.text in _SENTENCE_END:
                close()
                if token.text == "?":
                    questions.add(sentence)
                sentence += 1
                continue
            if token.text in _CLAUSE_END:
                close()
                continue
            if (
                token.text in self.lexicon.coordinators
                and index + 1 < len(tokens)
                and tokens[index + 1].text in starters
                and current
            ):
                close()
                continue
            current.append(token)
        close()
        for clause in clauses:
            clause.question = clause.sentence in questions
        return clauses

    def _clause(self, tokens: list[_Token], sentence: int) -> _Clause:
        words = [token.text for token in tokens]
        hits: list[_Hit] = []
        i = 0
        while i < len(words):
            length = self._group_at(words, i)
            if length == 1 and words[i].endswith("e") and not self._noun_at(words, i):
                length = 0  # "een gehandicapte zoon": about the son
            if length:
                name = self.groups[tuple(words[i : i + length])]
                hits.append(_Hit(lx.GROUP, i, i + length, tuple(range(i, i + length)), name))
                i += length
                continue
            bare = self.lexicon.bare_groups.get(words[i])
            if bare is not None and i > 0 and self._noun_at(words, i):
                determiners, name = bare
                if words[i - 1] in determiners or "_".join(words[max(0, i - 2) : i]) in determiners:
                    hits.append(_Hit(lx.GROUP, i, i + 1, (i,), name))
            i += 1
        group_positions = {p for hit in hits for p in range(hit.start, hit.end)}
        for index, word in enumerate(words):
            for category in self.categories.get(word, ()):
                if index in group_positions and category not in (lx.SLUR, lx.FUNCTION):
                    continue
                if category == lx.SLUR and word in self.lexicon.ambiguous_slurs:
                    marked = index > 0 and words[index - 1] in self.lexicon.noun_markers
                    if not marked and index + 1 < len(words):
                        continue  # "de jeugd flikker het in het water"
                label = self.slurs.get(word, "") if category == lx.SLUR else ""
                hits.append(_Hit(category, index, index + 1, (index,), label))
            for category, phrase in self.phrases.get(word, ()):
                found = _match(words, index, phrase)
                if found is not None:
                    hits.append(_Hit(category, found[0], found[-1] + 1, tuple(found)))
        # A phrase consumes the words it is made of: "niet uitstaan" is hatred, not negation;
        # "niets meer dan" is no negation at all.
        consumed = {
            p
            for hit in hits
            if len(hit.positions) > 1 and hit.category not in (lx.GROUP,)
            for p in hit.positions
        }
        neutral = {p for hit in hits if hit.category == lx.NEUTRAL for p in hit.positions}
        kept = []
        for hit in hits:
            if len(hit.positions) == 1 and hit.category != lx.GROUP:
                if hit.category in (lx.NEGATOR, lx.NEGATOR_CLAUSE) and hit.start in consumed:
                    continue
                if hit.start in neutral:
                    continue
            kept.append(hit)
        return _Clause(tokens, sentence, kept, words)

    def _group_at(self, words: list[str], i: int) -> int:
        if words[i] not in self.group_firsts:
            return 0
        for length in range(min(self.group_max, len(words) - i), 0, -1):
            if tuple(words[i : i + length]) in self.groups:
                return length
        return 0

    def _noun_at(self, words: list[str], i: int) -> bool:
        """Whether the adjective-like word at `i` stands for a person rather than describing
        the next word: "een zwarte." / "een zwarte die …" but not "een zwarte auto"."""
        if i + 1 == len(words):
            return True
        following = words[i + 1]
        return following in self.function or following in self.categories

    # -- decisions ---------------------------------------------------------------------

    def detect(self, text: str) -> AbuseResult:
        if not text or not text.strip():
            return NOT_ABUSIVE
        folded = _fold_text(text)
        if not self.worth_a_look(folded if folded is not None else _fold(text.lower())):
            return NOT_ABUSIVE
        tokens = self.tokens(text)
        clauses = self.clauses(tokens)
        unquoted = sum(1 for token in tokens if token.text[0].isalnum() and not token.quoted)
        sentences: dict[int, list[_Clause]] = {}
        for clause in clauses:
            sentences.setdefault(clause.sentence, []).append(clause)
        short_message = unquoted <= 3 and len(clauses) <= 2

        verdicts: list[tuple[AbuseKind, list[tuple[int, int]], str]] = []
        last_group: tuple[_Hit, _Clause] | None = None
        previous_sentence = -1
        for clause in clauses:
            same_sentence = clause.sentence == previous_sentence
            groups = clause.of(lx.GROUP)
            target: tuple[_Hit, _Clause] | None = None
            if groups:
                target = (groups[0], clause)
            elif last_group is not None and self._refers_back(clause, last_group, same_sentence):
                target = last_group
            sentence_clauses = sentences[clause.sentence]
            verdict = self._judge(clause, target, sentence_clauses, unquoted, short_message)
            if verdict is not None:
                verdicts.append(verdict)
            if groups:
                last_group = (groups[-1], clause)
            previous_sentence = clause.sentence
        if not verdicts:
            return NOT_ABUSIVE
        order = {AbuseKind.HATE: 0, AbuseKind.THREAT: 1, AbuseKind.INSULT: 2}
        kind = min((verdict[0] for verdict in verdicts), key=order.__getitem__)
        spans: list[tuple[int, int]] = []
        target_name = ""
        for verdict_kind, verdict_spans, name in verdicts:
            if verdict_kind == kind:
                spans.extend(verdict_spans)
                target_name = target_name or name
        merged: list[list[int]] = []
        for start, end in sorted(set(spans)):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        matched: list[str] = []
        for start, end in merged:
            piece = text[start:end]
            if piece not in matched:
                matched.append(piece)
        return AbuseResult(True, kind, tuple(matched), target_name)

    def _refers_back(
        self, clause: _Clause, last_group: tuple[_Hit, _Clause], same_sentence: bool
    ) -> bool:
        """A clause without a group of its own is about the group named before it: in the
        same sentence ("Typisch X: altijd even achterlijk"), or with a pronoun or in a short
        sentence right after it ("… X. Ze zijn een plaag." / "Wat een ratten.") — unless it
        speaks to or of someone else."""
        if clause.has(lx.YOU) or clause.has(lx.PERSON):
            return False
        if same_sentence and last_group[1].sentence == clause.sentence:
            return True
        if clause.sentence - last_group[1].sentence > 1:
            return False  # only the next sentence
        return clause.has(lx.PRONOUN) or len(clause.words) <= _SHORT_SENTENCE

    def _judge(
        self,
        clause: _Clause,
        target: tuple[_Hit, _Clause] | None,
        sentence: list[_Clause],
        unquoted: int,
        short_message: bool,
    ) -> tuple[AbuseKind, list[tuple[int, int]], str] | None:
        home_clause = target[1] if target is not None else clause
        countered = self._countered(clause, sentence, home_clause)
        if target is not None:
            group, home = target
            if home.tokens[group.start].quoted and unquoted >= 2 and not self._endorsed(sentence):
                countered = True  # '"X zijn ratten"? Wat een walgelijke uitspraak.'
            reasons = self._hate_reasons(clause, group if home is clause else None)
            if reasons and not countered:
                spans = [self._span(home, group)] + [self._span(clause, hit) for hit in reasons]
                return AbuseKind.HATE, spans, group.label
        slurs = [
            hit
            for hit in clause.of(lx.SLUR)
            if not clause.tokens[hit.start].quoted
            and not self._reclaimed(clause, hit)
            and not self._negated(clause, hit)
        ]
        if slurs and not countered:
            return AbuseKind.HATE, [self._span(clause, hit) for hit in slurs], slurs[0].label
        go_back = [hit for hit in clause.of(lx.GO_BACK) if not self._negated(clause, hit)]
        if go_back and not countered:
            spans = [self._span(clause, hit) for hit in go_back]
            return AbuseKind.HATE, spans, self.lexicon.go_back_target
        if countered:
            return None
        aimed_at = YOU if clause.has(lx.YOU) else ""
        threat = [hit for hit in self._threat(clause) if not self._negated(clause, hit)]
        if threat:
            return AbuseKind.THREAT, [self._span(clause, hit) for hit in threat], aimed_at
        insult = [
            hit for hit in self._insult(clause, short_message) if not self._negated(clause, hit)
        ]
        if insult:
            return AbuseKind.INSULT, [self._span(clause, hit) for hit in insult], aimed_at
        return None

    def _span(self, clause: _Clause, hit: _Hit) -> tuple[int, int]:
        tokens = [clause.tokens[p] for p in hit.positions] or [clause.tokens[hit.start]]
        return tokens[0].start, tokens[-1].end

    def _negated(self, clause: _Clause, hit: _Hit) -> bool:
        """Negation close to the words ("ik haat X niet", "X zijn geen ratten"), or for the
        whole clause ("niemand vindt X …")."""
        count = 0
        for negator in clause.hits:
            if negator.category == lx.NEGATOR_CLAUSE:
                count += 1
            elif negator.category == lx.NEGATOR and not clause.question:
                if hit.start - _NEGATION_WINDOW <= negator.start < hit.end:
                    count += 1  # before, or inside a phrase ("horen hier niet thuis")
                elif hit.end <= negator.start < hit.end + _NEGATION_WINDOW:
                    # "ik haat X niet", but not "… een lesje leren dat ze nooit vergeten"
                    between = clause.words[hit.end : negator.start]
                    count += not any(word in self.lexicon.subordinators for word in between)
        return count % 2 == 1

    def _endorsed(self, sentence: list[_Clause]) -> bool:
        return any(clause.has(lx.ENDORSE) for clause in sentence)

    def _countered(self, clause: _Clause, sentence: list[_Clause], home: _Clause) -> bool:
        """Speech about the statement rather than the statement: reported, named,
        condemned, or said of someone else ("mensen die …")."""
        first = self.lexicon.words[lx.FIRST]
        for other in sentence:
            if other.has(lx.CONDEMN):
                return True
            for hit in other.of(lx.REPORT):
                if len(hit.positions) > 1 or not self._first_person_at(other, hit.start, first):
                    return True
            for hit in other.of(lx.OPINION):
                if self._other_person_at(other, hit.start):
                    return True
        return any(self._relative(part) for part in {id(clause): clause, id(home): home}.values())

    def _relative(self, clause: _Clause) -> bool:
        """A relative clause about someone else: "mensen die X haten", "bedrijven die X niet
        respecteren" (but "X die hier wonen" is about the group, and "die X" is a
        demonstrative)."""
        groups = clause.of(lx.GROUP)
        group_starts = {group.start for group in groups}
        for relative in clause.of(lx.RELATIVE):
            if clause.question and len(relative.positions) == 1:
                continue  # "Wie wil er nu naast een X wonen?" asks, it does not refer
            if not any(group.start <= relative.start < group.end for group in groups):
                return True
        words = clause.words
        for k, word in enumerate(words[1:-1], start=1):
            if word not in self.lexicon.relatives or k + 1 in group_starts:
                continue
            antecedent = words[k - 1]
            if (
                len(antecedent) >= 4
                and antecedent.endswith(self.lexicon.plural_endings)
                and antecedent not in self.function
                and antecedent not in self.categories
                and not any(group.end == k for group in groups)
            ):
                return True
        return False

    def _first_person_at(self, clause: _Clause, index: int, first: frozenset[str]) -> bool:
        """ "ik zeg", "vind ik", "noem me ouderwets": the writer's own words."""
        around = clause.words[max(0, index - 1) : index + 2]
        return any(word in first or word in self.lexicon.me for word in around)

    def _other_person_at(self, clause: _Clause, index: int) -> bool:
        around = clause.words[max(0, index - 1) : index + 2]
        return any(word in self.others for word in around) and not any(
            word in self.lexicon.words[lx.FIRST] for word in around
        )

    def _reclaimed(self, clause: _Clause, slur: _Hit) -> bool:
        """ "Ik ben een trotse flikker", "als flikker …": said of oneself."""
        before = clause.words[: slur.start]
        if clause.has(lx.YOU):
            return False
        first = self.lexicon.words[lx.FIRST]
        if any(word in first for word in before) and any(
            word in ("ben", "zijn", "als", "suis", "sommes", "am", "are") for word in before
        ):
            return True
        return bool(before) and before[-1] == "als" and slur.start <= 1

    def _hate_reasons(self, clause: _Clause, group: _Hit | None) -> list[_Hit]:
        """What in this clause is said against the target group; `group` is None when the
        clause refers back to a group named earlier."""
        reasons: list[_Hit] = []
        victim = clause.has(lx.VICTIM)
        passive = clause.has(lx.PASSIVE)
        modal = clause.has(lx.MODAL)
        first_person = clause.has(lx.FIRST)
        plural_link = clause.has(lx.LINK)
        singular_link = clause.has(lx.LINK_SINGULAR)
        words = clause.words
        singular_group = group is not None and not words[group.end - 1].endswith(("s", "n"))
        agreement = plural_link or not singular_link or singular_group or group is None
        group_at = group.start if group is not None else -1
        group_end = group.end if group is not None else -1
        for hit in clause.hits:
            category = hit.category
            if group is not None and category != lx.GROUP:
                distance = max(hit.start - group_end, group_at - hit.end)
                if distance > _PROXIMITY:
                    continue
            negated = category in _NEGATABLE and self._negated(clause, hit)
            if category == lx.POSITIVE:
                if negated:  # "X zijn niet welkom", "geen respect voor X"
                    reasons.append(hit)
                continue
            if negated:
                continue
            if category == lx.HATE:
                # "X haten hun situatie": the group is the subject, not the object.
                if not (group is not None and hit.start == group_end and not first_person):
                    reasons.append(hit)
            elif category == lx.DEHUMANISE:
                if not (victim or (passive and not modal)):
                    reasons.append(hit)
            elif category == lx.DEROGATE:
                following = words[hit.end] if hit.end < len(words) else ""
                modifies_other = (
                    words[hit.start].endswith("e")
                    and following
                    and hit.end != group_at
                    and following not in self.function
                    and following not in self.categories
                )
                if agreement and not victim and not modifies_other:
                    reasons.append(hit)
            elif category == lx.WEAK:
                # Only as a predicate of the group: "zieke vreemdelingen" is not derogatory.
                # Said of the group itself: close after it, or of "ze" when it was named
                # before ("… X. De honden zijn getraind." is about the dogs).
                linked = (plural_link or (singular_link and singular_group)) and (
                    0 <= hit.start - group_end <= _WEAK_PROXIMITY
                    if group is not None
                    else clause.has(lx.PRONOUN)
                )
                if linked and not victim:
                    reasons.append(hit)
            elif category == lx.EXCLUDE:
                reasons.append(hit)
            elif category in (lx.INSULT, lx.INSULT_WEAK) and plural_link and not victim:
                if group is None or hit.start > group_at:
                    reasons.append(hit)  # "X zijn allemaal idioten"
            elif category in (lx.THREAT, lx.GROUP_VIOLENCE):
                imperative = hit.start == 0
                if (first_person or modal or imperative) and not (passive and not modal):
                    reasons.append(hit)
            elif category == lx.EXPEL:
                if modal or hit.start == 0 or first_person or len(words) <= 3:
                    reasons.append(hit)
            elif category == lx.PROFANITY and group is not None:
                between = words[hit.end : group_at]
                if hit.end <= group_at and all(word in _BETWEEN for word in between):
                    reasons.append(hit)  # "kutmoslims", "fuck alle X"
        return reasons

    def _threat(self, clause: _Clause) -> list[_Hit]:
        phrases = clause.of(lx.THREAT_PHRASE)
        if phrases:
            return phrases
        violent = clause.of(lx.THREAT)
        if not violent or (clause.has(lx.PASSIVE) and not clause.has(lx.MODAL)):
            return []
        aimed = (
            clause.has(lx.YOU)
            or clause.has(lx.PERSON)
            or any(word in self.objects for word in clause.words)
        )
        if aimed and (clause.has(lx.FIRST) or clause.has(lx.MODAL)):
            return violent
        return []

    def _insult(self, clause: _Clause, short_message: bool) -> list[_Hit]:
        phrases = clause.of(lx.INSULT_PHRASE)
        if phrases:
            return phrases
        if clause.has(lx.VICTIM) or clause.has(lx.PASSIVE):
            return []  # "weggezet als losers": someone else's words, or a complaint about them
        words = clause.words
        links = [hit.start for hit in clause.hits if hit.category in (lx.LINK, lx.LINK_SINGULAR)]
        people = [hit.start for hit in clause.hits if hit.category in (lx.YOU, lx.PERSON)]
        persons = {hit.start for hit in clause.of(lx.PERSON)}
        self_reference = clause.has(lx.FIRST) and bool(links) and not clause.has(lx.YOU)
        found: list[_Hit] = []
        for hit in clause.hits:
            if hit.category == lx.INSULT:
                if not self_reference:
                    found.append(hit)
                continue
            if hit.category not in _AIMED_INSULTS or self_reference:
                continue
            before = words[max(0, hit.start - 3) : hit.start]
            previous = words[hit.start - 1] if hit.start else ""
            aimed = (
                self._said_of_someone(hit.start, people, links)
                or self._exclamation(words, hit.start)
                or any(word in self.collectives for word in before)
                or previous in _VOCATIVE  # "jij idioot"
                or (hit.end in persons and hit.category != lx.DEHUMANISE)  # "domme ambtenaar"
            )
            if hit.category in (lx.INSULT_WEAK, lx.ANIMAL):
                # "vuile hoer", "stomme aap": an insulting adjective makes it one
                aimed = aimed or lx.INSULT_ADJ in self.categories.get(previous, ())
            if hit.category == lx.INSULT_WEAK and short_message:
                aimed = True  # "Idioot!"
            if aimed:
                found.append(hit)
        return found

    def _exclamation(self, words: list[str], index: int) -> bool:
        """ "wat een idioot", "wat een domme trut", "wat voor een sukkel"."""
        start = index - 2
        if start > 0 and lx.INSULT_ADJ in self.categories.get(words[index - 1], ()):
            start -= 1
        return start >= 0 and words[start] == "wat" and words[start + 1] in ("een", "voor")

    @staticmethod
    def _said_of_someone(index: int, people: list[int], links: list[int]) -> bool:
        """ "jij bent (een) X", "die ambtenaar is X", "ben jij X": a person, a copula, then
        the word, close together."""
        for person in people:
            if not 0 < index - person <= 5:
                continue
            if any(person < link < index for link in links) or person - 1 in links:
                return True
        return False


# A sentence this short may leave out the group it is about ("Wat een ratten.").
_SHORT_SENTENCE = 5
# Words between a negator and what it negates ("ik zal X nooit als gelijken behandelen").
_NEGATION_WINDOW = 5
# How far a predicate may be from the group it is said of, in words; a weak one ("zijn lui")
# must follow closely.
_PROXIMITY = 10
_WEAK_PROXIMITY = 4
_NEGATABLE = frozenset(
    (lx.POSITIVE, lx.HATE, lx.DEHUMANISE, lx.DEROGATE, lx.WEAK, lx.EXCLUDE, lx.THREAT,
     lx.GROUP_VIOLENCE, lx.EXPEL, lx.PROFANITY)
)  # fmt: skip
_VOCATIVE = frozenset(("jij", "jullie", "gij", "ulder", "toi", "espece", "you"))
_AIMED_INSULTS = frozenset(
    (lx.INSULT_WEAK, lx.ANIMAL, lx.ACCUSE, lx.INSULT_ADJ, lx.DEROGATE, lx.DEHUMANISE)
)
