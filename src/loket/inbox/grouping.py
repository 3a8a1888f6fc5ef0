"""When two public comments ask the same thing: near-duplicates within one thread.

Word sets without function words, compared with Jaccard similarity; short messages must
match more closely. Deliberately simple and explainable: an agent can split a wrongly grouped
comment off in one action.
"""

from __future__ import annotations

import re
from datetime import timedelta

from loket.triage.rules import STOPWORDS

WINDOW = timedelta(hours=48)  # comments further apart are separate questions
FOLLOW_UP = timedelta(minutes=30)  # a citizen's next comment within this continues their case
CANDIDATES = 20  # open cases under one post compared against
SAMPLE = 5  # citizen messages per case compared against
THRESHOLD = 0.6

_WORD = re.compile(r"\w+", re.UNICODE)
_FUNCTION_WORDS = set().union(*STOPWORDS.values())


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
