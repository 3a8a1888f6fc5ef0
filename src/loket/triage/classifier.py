"""The topic classifier: learns an organisation's own labels (category, team, theme) from
(text, label) pairs and predicts a label with a confidence.

The same code serves the import of labelled history, retraining from agents' corrections and
`loket eval classify`.

How it works, and why:

* Dutch-aware preprocessing: lower case, accents folded (citizens type "financien" as often as
  "financiën"), URLs, e-mail addresses and numbers normalised (house numbers and dates say
  nothing about the topic), words stemmed with the Snowball Dutch stemmer.
* Two TF-IDF blocks with sublinear term frequency, each L2-normalised: word 1-2-grams of the
  stems, and character 2-5-grams inside word boundaries of the unstemmed words (these catch
  compounds and typos: "lantarenpaal", "lantaarnpaal", "straatlantaarn").
* One linear SVM per label (liblinear), class-weighted so that small labels count for
  macro-F1. Cross-validation on the training data then tunes a bias per label for macro-F1
  and a softmax temperature, so that `confidence` behaves like a probability.

Prediction needs only numpy and scipy (no scikit-learn), so a web or worker process that only
predicts stays small; training imports scikit-learn lazily.

A trained model is stored with `to_bytes()` as a zip of one JSON document (labels, settings,
vocabularies) and plain numpy arrays read with `allow_pickle=False`: loading a blob never runs
code, whoever wrote it. Blobs are still only ever written by Loket itself.
"""

from __future__ import annotations

import io
import json
import math
import re
import time
import unicodedata
import zipfile
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped, unused-ignore]

FORMAT = "loket-topic-classifier"
FORMAT_VERSION = 1
# Long e-mails add cost, not topic: the first part says what a message is about.
MAX_CHARS = 3000

URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DIGITS = re.compile(r"\d+")
TOKEN = re.compile(r"[a-z0-9]+")


class TrainingError(ValueError):
    """The training data cannot make a classifier (too few texts or labels)."""


class ModelFormatError(ValueError):
    """The bytes are not a model this version of Loket can load."""


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float  # 0..1, calibrated on the training data by cross-validation


@dataclass(frozen=True)
class Settings:
    """How a classifier is trained; the defaults were chosen by cross-validation on reports."""

    c: float = 0.3  # SVM regularisation: lower is smoother
    class_weight_power: float = 1.0  # 1 = fully balanced labels, 0 = none
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2  # lowered to 1 below `small_corpus` texts
    small_corpus: int = 1000
    folds: int = 3  # cross-validation for bias and temperature; 0 = none
    tune_bias: bool = True


# --- preprocessing ------------------------------------------------------------------------

_STEMS: dict[str, str] = {}
_STEMMER: list[Callable[[str], str]] = []


def _stem(word: str) -> str:
    stem = _STEMS.get(word)
    if stem is None:
        if not _STEMMER:
            import snowballstemmer  # type: ignore[import-untyped, unused-ignore]

            _STEMMER.append(snowballstemmer.stemmer("dutch").stemWord)
        if len(_STEMS) > 200_000:  # a bound for long-running processes
            _STEMS.clear()
        stem = _STEMS[word] = _STEMMER[0](word)
    return stem


def fold(text: str) -> str:
    """Lower case without accents, with URLs, e-mail addresses and numbers normalised."""
    text = text[:MAX_CHARS].lower()
    text = URL.sub(" urlx ", text)
    text = EMAIL.sub(" emailx ", text)
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return DIGITS.sub("0", text)


def tokens(text: str) -> list[str]:
    return TOKEN.findall(fold(text))


def _word_grams(words: list[str], low: int, high: int) -> list[str]:
    stems = [_stem(word) for word in words]
    grams = stems if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams.extend(" ".join(stems[i : i + n]) for i in range(len(stems) - n + 1))
    return grams


def word_features(text: str, ngrams: tuple[int, int] = (1, 2)) -> list[str]:
    """The word n-grams the classifier sees in a text: its stems, then runs of stems."""
    return _word_grams(tokens(text), *ngrams)


def _char_grams(word: str, low: int, high: int) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


# --- features -----------------------------------------------------------------------------


def _counts(columns: array[int], pointers: array[int], width: int) -> csr_matrix:
    """Term counts from the feature numbers of each text, rows sorted by column."""
    import numpy as np
    from scipy.sparse import csr_matrix

    indices = np.frombuffer(columns, dtype=np.int32)
    counts = csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, np.frombuffer(pointers, dtype=np.int64)),
        shape=(len(pointers) - 1, width),
    )
    counts.sum_duplicates()
    return counts


def _tfidf(counts: csr_matrix, idf: NDArray[np.float32]) -> csr_matrix:
    """Sublinear TF times IDF, each row of unit length."""
    import numpy as np

    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    norms = np.sqrt(np.bincount(rows, weights=counts.data**2, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    counts.data = (counts.data / norms[rows]).astype(np.float32)
    return counts


class _Features:
    """TF-IDF rows for a batch of texts from fixed vocabularies: one block of word n-grams and
    one of character n-grams, each of unit length so that neither drowns the other."""

    def __init__(
        self, settings: Settings, words: list[str], chars: list[str], idf: NDArray[np.float32]
    ) -> None:
        self.settings = settings
        self.words = words
        self.chars = chars
        self.word_index = {gram: i for i, gram in enumerate(words)}
        self.char_index = {gram: i for i, gram in enumerate(chars)}
        self.idf = idf
        # A word's character n-grams as feature numbers: words repeat, so this cache is most
        # of the speed of prediction.
        self._char_ids: dict[str, tuple[int, ...]] = {}

    @property
    def size(self) -> int:
        return len(self.words) + len(self.chars)

    def _chars_of(self, word: str) -> tuple[int, ...]:
        ids = self._char_ids.get(word)
        if ids is None:
            low, high = self.settings.char_ngrams
            index = self.char_index
            ids = tuple(index[g] for g in _char_grams(word, low, high) if g in index)
            if len(self._char_ids) > 200_000:  # a bound for long-running processes
                self._char_ids.clear()
            self._char_ids[word] = ids
        return ids

    def matrix(self, texts: Sequence[str]) -> csr_matrix:
        from scipy.sparse import hstack

        low, high = self.settings.word_ngrams
        word_index = self.word_index
        # Compact arrays, not lists: a list holds an object per n-gram, ten times the memory.
        word_columns, char_columns = array("i"), array("i")
        word_pointers, char_pointers = array("q", [0]), array("q", [0])
        for text in texts:
            words = tokens(text)
            word_columns.extend(
                word_index[g] for g in _word_grams(words, low, high) if g in word_index
            )
            for word in words:
                char_columns.extend(self._chars_of(word))
            word_pointers.append(len(word_columns))
            char_pointers.append(len(char_columns))
        n_words = len(self.words)
        return hstack(
            [
                _tfidf(_counts(word_columns, word_pointers, n_words), self.idf[:n_words]),
                _tfidf(_counts(char_columns, char_pointers, len(self.chars)), self.idf[n_words:]),
            ],
            format="csr",
        )

    @classmethod
    def fit(cls, texts: Sequence[str], settings: Settings) -> tuple[_Features, csr_matrix]:
        """The vocabularies of `texts` (n-grams in at least `min_df` texts) and their matrix,
        in one pass over the texts."""
        import numpy as np
        from scipy.sparse import hstack

        min_df = settings.min_df if len(texts) >= settings.small_corpus else 1
        low, high = settings.word_ngrams
        char_low, char_high = settings.char_ngrams
        word_ids: dict[str, int] = {}
        char_ids: dict[str, int] = {}
        chars_of: dict[str, list[int]] = {}
        # Compact arrays, not lists: a list holds an object per n-gram, ten times the memory.
        word_columns, char_columns = array("i"), array("i")
        word_pointers, char_pointers = array("q", [0]), array("q", [0])
        for text in texts:
            words = tokens(text)
            for gram in _word_grams(words, low, high):
                word_columns.append(word_ids.setdefault(gram, len(word_ids)))
            for word in words:
                ids = chars_of.get(word)
                if ids is None:
                    grams = _char_grams(word, char_low, char_high)
                    ids = chars_of[word] = [char_ids.setdefault(g, len(char_ids)) for g in grams]
                char_columns.extend(ids)
            word_pointers.append(len(word_columns))
            char_pointers.append(len(char_columns))

        blocks = []
        vocabularies = []
        idfs = []
        for columns, pointers, numbers in (
            (word_columns, word_pointers, word_ids),
            (char_columns, char_pointers, char_ids),
        ):
            counts = _counts(columns, pointers, len(numbers))
            df = np.bincount(counts.indices, minlength=len(numbers))
            keep = np.flatnonzero(df >= min_df)
            grams = list(numbers)  # in order of their numbers
            vocabularies.append([grams[i] for i in keep])
            idf = (np.log((1 + len(texts)) / (1 + df[keep])) + 1.0).astype(np.float32)
            idfs.append(idf)
            blocks.append(_tfidf(counts[:, keep], idf))
        features = cls(settings, vocabularies[0], vocabularies[1], np.concatenate(idfs))
        return features, hstack(blocks, format="csr")

    def name(self, column: int) -> str:
        """A feature for people: a word n-gram of stems, or a quoted character n-gram."""
        if column < len(self.words):
            return self.words[column]
        return repr(self.chars[column - len(self.words)])


# --- the classifier -----------------------------------------------------------------------


def _softmax(scores: NDArray[Any]) -> NDArray[Any]:
    import numpy as np

    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: NDArray[Any] = exp / exp.sum(axis=1, keepdims=True)
    return result


def _macro_f1(gold: NDArray[Any], predicted: NDArray[Any], n_labels: int) -> float:
    import numpy as np

    hits = np.bincount(gold[gold == predicted], minlength=n_labels)
    gold_n = np.bincount(gold, minlength=n_labels)
    predicted_n = np.bincount(predicted, minlength=n_labels)
    denominator = gold_n + predicted_n
    f1 = np.where(denominator > 0, 2 * hits / np.maximum(denominator, 1), 0.0)
    present = gold_n > 0
    return float(f1[present].mean())


def _tune_bias(scores: NDArray[Any], gold: NDArray[Any]) -> NDArray[Any]:
    """A shift per label that maximises macro-F1 on out-of-fold scores (coordinate ascent)."""
    import numpy as np

    n_labels = scores.shape[1]
    bias = np.zeros(n_labels)
    best = _macro_f1(gold, scores.argmax(axis=1), n_labels)
    steps = np.linspace(-0.5, 0.5, 11)
    for _ in range(2):
        for label in range(n_labels):
            current = bias[label]
            for step in steps:
                bias[label] = step
                score = _macro_f1(gold, (scores + bias).argmax(axis=1), n_labels)
                # A shift must earn its place: noise-level gains keep the shift it had.
                if score > best + 1e-4:
                    best, current = score, step
            bias[label] = current
    return bias


def _temperature(scores: NDArray[Any], gold: NDArray[Any]) -> float:
    """The softmax scale that makes out-of-fold confidences fit (least log loss)."""
    import numpy as np

    rows = np.arange(len(gold))

    def loss(scale: float) -> float:
        probabilities = _softmax(scores * scale)
        return float(-np.log(np.maximum(probabilities[rows, gold], 1e-12)).mean())

    candidates = [0.5 * 1.25**i for i in range(25)]  # 0.5 … 106
    return min(candidates, key=loss)


def _fit_svm(matrix: Any, gold: NDArray[Any], n_labels: int, settings: Settings) -> Any:
    import numpy as np
    from sklearn.svm import LinearSVC  # type: ignore[import-untyped, unused-ignore]

    counts = np.bincount(gold, minlength=n_labels).astype(np.float64)
    present = counts > 0
    weights = np.ones(n_labels)
    weights[present] = (len(gold) / (present.sum() * counts[present])) ** (
        settings.class_weight_power
    )
    model = LinearSVC(
        C=settings.c,
        class_weight={label: weights[label] for label in range(n_labels) if present[label]},
        random_state=0,
    )
    model.fit(matrix, gold)
    return model


def _decision(model: Any, matrix: Any, n_labels: int) -> NDArray[Any]:
    """Decision scores for every label, also for a fold in which some label was absent."""
    import numpy as np

    scores = np.full((matrix.shape[0], n_labels), -10.0)
    raw = model.decision_function(matrix)
    if raw.ndim == 1:  # two labels: one score for the second
        raw = np.column_stack([-raw, raw])
    scores[:, model.classes_] = raw
    return scores


def _folds(gold: NDArray[Any], wanted: int) -> list[tuple[NDArray[Any], NDArray[Any]]]:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped, unused-ignore]

    counts = np.bincount(gold)
    smallest = int(counts[counts > 0].min())
    n_splits = min(wanted, smallest)
    if n_splits < 2:
        return []
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=0)
    return list(splitter.split(np.zeros(len(gold)), gold))


class TopicClassifier:
    """A trained classifier: `predict` texts, `to_bytes` / `from_bytes` to store it."""

    def __init__(
        self,
        *,
        labels: Sequence[str],
        settings: Settings,
        features: _Features,
        weights: Any,
        intercept: Any,
        bias: Any,
        temperature: float,
        info: dict[str, Any] | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.settings = settings
        self._features = features
        self._weights = weights  # features by labels, float32
        self._intercept = intercept  # labels
        self._bias = bias  # labels: shifts tuned for macro-F1
        self._temperature = temperature
        self.info = dict(info or {})  # training facts: examples, seconds, cross-validated F1

    # -- training

    @classmethod
    def train(
        cls, texts: Sequence[str], labels: Sequence[str], settings: Settings | None = None
    ) -> TopicClassifier:
        """Train on parallel sequences of texts and labels (at least two distinct labels)."""
        import numpy as np

        settings = settings or Settings()
        if len(texts) != len(labels):
            raise TrainingError(f"{len(texts)} texts but {len(labels)} labels")
        if not texts:
            raise TrainingError("no training examples")
        names = sorted(set(labels))
        if len(names) < 2:
            raise TrainingError(f"only one label ({names[0]!r}): nothing to choose between")
        started = time.perf_counter()
        number = {name: i for i, name in enumerate(names)}
        gold = np.asarray([number[label] for label in labels], dtype=np.intp)
        features, matrix = _Features.fit(texts, settings)
        if not features.size:
            raise TrainingError("the texts have no words to learn from")

        bias = np.zeros(len(names))
        temperature = 3.0  # a sensible scale for SVM margins when there is too little to fit
        cross_validated: float | None = None
        splits = _folds(gold, settings.folds) if settings.folds else []
        if splits:
            out_of_fold = np.zeros((len(gold), len(names)))
            for train_rows, test_rows in splits:
                model = _fit_svm(matrix[train_rows], gold[train_rows], len(names), settings)
                out_of_fold[test_rows] = _decision(model, matrix[test_rows], len(names))
            if settings.tune_bias:
                bias = _tune_bias(out_of_fold, gold)
            temperature = _temperature(out_of_fold + bias, gold)
            cross_validated = _macro_f1(gold, (out_of_fold + bias).argmax(axis=1), len(names))

        model = _fit_svm(matrix, gold, len(names), settings)
        weights = np.zeros((features.size, len(names)), dtype=np.float32)
        intercept = np.full(len(names), -10.0, dtype=np.float32)
        coef = model.coef_ if len(model.classes_) > 2 else np.vstack([-model.coef_, model.coef_])
        icpt = (
            model.intercept_
            if len(model.classes_) > 2
            else np.array([-model.intercept_[0], model.intercept_[0]])
        )
        weights[:, model.classes_] = coef.T
        intercept[model.classes_] = icpt
        info = {
            "examples": len(texts),
            "features": features.size,
            "train_seconds": round(time.perf_counter() - started, 3),
            "cross_validated_macro_f1": (
                None if cross_validated is None else round(cross_validated, 4)
            ),
            "label_counts": {
                name: int(n) for name, n in zip(names, np.bincount(gold), strict=True)
            },
        }
        return cls(
            labels=names,
            settings=settings,
            features=features,
            weights=weights,
            intercept=intercept,
            bias=bias.astype(np.float32),
            temperature=temperature,
            info=info,
        )

    # -- prediction

    def _logits(self, texts: Sequence[str]) -> NDArray[Any]:
        matrix = self._features.matrix(texts)
        scores: NDArray[Any] = matrix @ self._weights + self._intercept + self._bias
        return scores * self._temperature

    def probabilities(self, texts: Sequence[str]) -> NDArray[Any]:
        """Texts by `labels`: the confidence of every label, each row summing to 1."""
        return _softmax(self._logits(texts))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        probabilities = self.probabilities(texts)
        best = probabilities.argmax(axis=1)
        return [
            Prediction(self.labels[i], round(float(row[i]), 4))
            for i, row in zip(best, probabilities, strict=True)
        ]

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    def explain(self, text: str, label: str | None = None, top: int = 5) -> list[tuple[str, float]]:
        """The features of `text` that speak most for `label` (default: the predicted one),
        as (feature, contribution): a word n-gram of stems, or a quoted character n-gram."""
        import numpy as np

        matrix = self._features.matrix([text])
        column = (
            self.labels.index(label) if label is not None else int(self._logits([text])[0].argmax())
        )
        contributions = matrix.data * self._weights[matrix.indices, column]
        order = np.argsort(-contributions)[:top]
        return [
            (self._features.name(int(matrix.indices[i])), round(float(contributions[i]), 4))
            for i in order
            if contributions[i] > 0
        ]

    # -- storage

    def to_bytes(self) -> bytes:
        import numpy as np

        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "labels": list(self.labels),
            "settings": {
                "c": self.settings.c,
                "class_weight_power": self.settings.class_weight_power,
                "word_ngrams": list(self.settings.word_ngrams),
                "char_ngrams": list(self.settings.char_ngrams),
                "min_df": self.settings.min_df,
                "small_corpus": self.settings.small_corpus,
                "folds": self.settings.folds,
                "tune_bias": self.settings.tune_bias,
            },
            "temperature": self._temperature,
            "words": self._features.words,
            "chars": self._features.chars,
            "info": self.info,
        }
        arrays = {
            "idf": self._features.idf,
            "weights": self._weights,
            "intercept": self._intercept,
            "bias": self._bias,
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("model.json", json.dumps(document, ensure_ascii=False))
            for name, array in arrays.items():
                stream = io.BytesIO()
                np.save(stream, np.ascontiguousarray(array, dtype=np.float32), allow_pickle=False)
                archive.writestr(f"{name}.npy", stream.getvalue())
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> TopicClassifier:
        import numpy as np

        try:
            with zipfile.ZipFile(io.BytesIO(blob)) as archive:
                document = json.loads(archive.read("model.json").decode("utf-8"))
                arrays = {
                    name: np.load(io.BytesIO(archive.read(f"{name}.npy")), allow_pickle=False)
                    for name in ("idf", "weights", "intercept", "bias")
                }
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise ModelFormatError(f"not a topic classifier ({error})") from None
        if document.get("format") != FORMAT or document.get("version") != FORMAT_VERSION:
            raise ModelFormatError(
                f"unsupported model format {document.get('format')!r} "
                f"version {document.get('version')!r}"
            )
        try:
            stored = document["settings"]
            settings = Settings(
                c=float(stored["c"]),
                class_weight_power=float(stored["class_weight_power"]),
                word_ngrams=(int(stored["word_ngrams"][0]), int(stored["word_ngrams"][1])),
                char_ngrams=(int(stored["char_ngrams"][0]), int(stored["char_ngrams"][1])),
                min_df=int(stored["min_df"]),
                small_corpus=int(stored["small_corpus"]),
                folds=int(stored["folds"]),
                tune_bias=bool(stored["tune_bias"]),
            )
            labels = [str(label) for label in document["labels"]]
            words = [str(gram) for gram in document["words"]]
            chars = [str(gram) for gram in document["chars"]]
            temperature = float(document["temperature"])
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ModelFormatError(f"incomplete topic classifier ({error!r})") from None
        size = len(words) + len(chars)
        if (
            arrays["idf"].shape != (size,)
            or arrays["weights"].shape != (size, len(labels))
            or arrays["intercept"].shape != (len(labels),)
            or arrays["bias"].shape != (len(labels),)
            or not math.isfinite(temperature)
        ):
            raise ModelFormatError("inconsistent topic classifier: shapes do not match")
        return cls(
            labels=labels,
            settings=settings,
            features=_Features(settings, words, chars, arrays["idf"]),
            weights=arrays["weights"],
            intercept=arrays["intercept"],
            bias=arrays["bias"],
            temperature=temperature,
            info=document.get("info") or {},
        )


def train(
    texts: Iterable[str], labels: Iterable[str], settings: Settings | None = None
) -> TopicClassifier:
    """Train a topic classifier on (text, label) pairs: `TopicClassifier.train`."""
    return TopicClassifier.train(list(texts), list(labels), settings)
