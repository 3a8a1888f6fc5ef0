"""`loket eval classify`: train the topic classifier on one file and measure it on another,
exactly as an organisation's import of labelled history trains it."""

from __future__ import annotations

import argparse
import time
from typing import Any

from loket.triage.evaluation.data import DataError, records, scores, texts_and_labels


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--train", required=True, help="JSONL file to train on")
    parser.add_argument("--test", required=True, help="JSONL file to measure on")
    parser.add_argument(
        "--label-field", required=True, help="dotted path to the label, e.g. labels.category"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    # Imported here: `loket eval` imports every kind's module to build its help.
    from loket.triage.classifier import TopicClassifier, TrainingError

    train_texts, train_labels = texts_and_labels(
        records(args.train), args.label_field, where=f"{args.train}: "
    )
    test_texts, test_labels = texts_and_labels(
        records(args.test), args.label_field, where=f"{args.test}: "
    )
    started = time.perf_counter()
    try:
        classifier = TopicClassifier.train(train_texts, train_labels)
    except TrainingError as error:
        raise DataError(f"{args.train}: {error}") from None
    train_seconds = time.perf_counter() - started

    started = time.perf_counter()
    predicted = [prediction.label for prediction in classifier.predict(test_texts)]
    predict_seconds = time.perf_counter() - started

    result = scores(test_labels, predicted)
    result["train_seconds"] = round(train_seconds, 2)
    result["predict_per_second"] = round(len(test_texts) / max(predict_seconds, 1e-9))
    return result
