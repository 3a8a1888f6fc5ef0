"""When two public comments ask the same thing: near-duplicates within one thread.

Word sets without function words, compared with Jaccard similarity; short messages must
match more closely. Deliberately simple and explainable: an agent can split a wrongly grouped
comment off in one action.
"""

from __future__ import annotations

import re
from datetime import timedelta

WINDOW = timedelta(hours=48)  # comments further apart are separate questions
FOLLOW_UP = timedelta(minutes=30)  # a citizen's next comment within this continues their case
CANDIDATES = 20  # open cases under one post compared against
SAMPLE = 5  # citizen messages per case compared against
THRESHOLD = 0.6

_WORD = re.compile(r"\w+", re.UNICODE)
# Frequent function words per language: they say nothing about what a comment asks.
_STOPWORDS = {
    "nl": set(
        "de het een en van ik je jij u uw is dat die niet op te met voor zijn er maar om "
        "wat ook nog wel al bij dit naar heb hebt heeft wij we zij hoe waar wanneer mijn "
        "kan kunnen moet geen deze mag graag bedankt dag goedemorgen".split()
    ),
    "fr": set(
        "le la les un une et de des du je tu il elle nous vous est sont pas que qui pour "
        "dans sur avec ce cette mais ou où quand comment mon ma mes votre vos merci "
        "bonjour au aux ne plus peut".split()
    ),
    "en": set(
        "the a an and of to is are i you he she we they it that this not for on with "
        "but or when where how my your can could please thanks thank hello is was".split()
    ),
    "de": set(
        "der die das und ist nicht ich sie wir ein eine zu mit auf für von dem den "
        "wie wo wann mein danke bitte hallo guten".split()
    ),
}
_FUNCTION_WORDS = set().union(*_STOPWORDS.values())


def content_words(text: str) -> set[str]:
    return {
        word
        for word in (w.lower() for w in _WORD.findall(text))
        if len(word) > 2 and word not in _FUNCTION_WORDS and not word.isdigit()
    }


def same_question(a: str, b: str) -> bool:
    words_a, words_b = content_words(a), content_words(b)
    if len(words_a) < 2 or len(words_b) < 2:
        return False
    overlap = len(words_a & words_b) / len(words_a | words_b)
    return overlap >= THRESHOLD
