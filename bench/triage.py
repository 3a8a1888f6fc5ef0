"""Triage speed and memory: every built-in detector on Loket's own demo messages.

Prints messages/s for the whole triage (`loket.triage.rules.triage`: language, type,
urgency, sentiment, personal data, abuse) one message after another over a large batch, the
p50/p95 of a single message, the same for each detector on its own, and the memory of the
process with everything loaded (RSS), against the targets of the triage issue:
≥ 5,000 messages/s in batches, p95 ≤ 5 ms for one message, under 300 MB RSS for a web
process with the models loaded.

    .venv/bin/python bench/triage.py [--messages 20000] [--with-classifier FILE --label-field PATH]

`--with-classifier` also trains the topic classifier on a labelled JSONL file (given on the
command line, never stored) and measures its prediction speed and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import _support

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TARGET_PER_SECOND = 5000.0
TARGET_P95_MS = 5.0
TARGET_RSS_MB = 300.0


def rss_mb() -> float:
    """Resident memory now, from /proc (the peak from getrusage if /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus(count: int) -> list[str]:
    from loket.cli.demo_messages import MESSAGES, render

    rng = random.Random(7)  # noqa: S311 - repeatable bench input
    texts = []
    for n in range(count):
        message = MESSAGES[n % len(MESSAGES)]
        texts.append(render(message.text, place="Stad Voorbeeld", rng=rng))
    return texts


def _warm() -> None:
    from loket.triage import rules

    rules.triage("Wanneer is het containerpark open?")


def _triage_chunk(texts: list[str]) -> int:
    from loket.triage import rules

    for text in texts:
        rules.triage(text)
    return len(texts)


def measure(run: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    began = time.perf_counter()
    for text in texts:
        run(text)
    batch_seconds = time.perf_counter() - began
    singles = []
    for text in texts[:2000]:
        start = time.perf_counter()
        run(text)
        singles.append(time.perf_counter() - start)
    return {
        "per_second": len(texts) / batch_seconds,
        "p50_ms": _support.percentile(singles, 0.50) * 1000,
        "p95_ms": _support.percentile(singles, 0.95) * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--with-classifier", default="", help="labelled JSONL to train on")
    parser.add_argument("--label-field", default="labels.category")
    args = parser.parse_args()

    from loket.triage import abuse, language, message_type, personal_data, rules, sentiment, urgency

    base = rss_mb()
    texts = corpus(args.messages)
    began = time.perf_counter()
    rules.triage(texts[0])  # loads every model and lexicon once
    load_seconds = time.perf_counter() - began
    detectors: list[tuple[str, Callable[[str], object]]] = [
        ("whole triage", rules.triage),
        ("language", lambda t: language.detect_language(t, default="nl")),
        ("message type", message_type.message_type),
        ("urgency", urgency.assess),
        ("sentiment", sentiment.sentiment),
        ("personal data", personal_data.kinds),
        ("abuse", abuse.abuse),
    ]
    rows = []
    results = {}
    for name, run in detectors:
        result = measure(run, texts)
        results[name] = result
        rows.append(
            [
                name,
                f"{result['per_second']:,.0f}",
                f"{result['p50_ms']:.2f} / {result['p95_ms']:.2f}",
            ]
        )
    loaded = rss_mb()
    # The same batch spread over one process per core, as the task workers would run it.
    processes = os.cpu_count() or 1
    with ProcessPoolExecutor(processes, initializer=_warm) as pool:
        list(pool.map(_triage_chunk, [texts[:100]] * processes))
        began = time.perf_counter()
        done = sum(pool.map(_triage_chunk, [texts[i : i + 500] for i in range(0, len(texts), 500)]))
        spread = done / (time.perf_counter() - began)
    results["whole triage"]["per_second_all_cores"] = spread
    rows.insert(1, [f"whole triage, {processes} processes", f"{spread:,.0f}", ""])
    if args.with_classifier:
        from loket.triage import classifier
        from loket.triage.evaluation import data

        records = data.records(args.with_classifier)
        train_texts, labels = data.texts_and_labels(records, args.label_field)
        started = time.perf_counter()
        model = classifier.TopicClassifier.from_bytes(
            classifier.train(train_texts, labels).to_bytes()
        )
        trained = time.perf_counter() - started
        result = measure(model.predict_one, texts)
        batch_began = time.perf_counter()
        for start in range(0, len(texts), 1000):
            model.predict(texts[start : start + 1000])
        batched = len(texts) / (time.perf_counter() - batch_began)
        rows.append(
            [
                f"topic classifier (trained {trained:.0f} s)",
                f"{batched:,.0f} (batches of 1,000)",
                f"{result['p50_ms']:.2f} / {result['p95_ms']:.2f}",
            ]
        )
    average = sum(map(len, texts)) // len(texts)
    print(
        f"triage: {len(texts):,} of Loket's demo messages (nl/fr/en, {average} characters on "
        f"average), one process, {os.cpu_count()} CPUs; loading took {load_seconds:.2f} s\n"
    )
    print(
        _support.table(["detector", "messages/s (one after another)", "single p50 / p95 ms"], rows)
    )
    print(
        f"\nRSS: {base:.0f} MB before loading, {loaded:.0f} MB with every detector loaded", end=""
    )
    print(f", {rss_mb():.0f} MB with the classifier" if args.with_classifier else "")
    whole = results["whole triage"]
    verdicts = [
        (
            "≥ 5,000 messages/s",
            whole["per_second_all_cores"] >= TARGET_PER_SECOND,
            f"{whole['per_second_all_cores']:,.0f}/s on {processes} processes, "
            f"{whole['per_second']:,.0f}/s in one",
        ),
        (
            "p95 ≤ 5 ms for one message",
            whole["p95_ms"] <= TARGET_P95_MS,
            f"{whole['p95_ms']:.2f} ms",
        ),
        ("under 300 MB RSS", loaded < TARGET_RSS_MB, f"{loaded:.0f} MB"),
    ]
    for what, met, figure in verdicts:
        print(f"target {what}: {'met' if met else 'MISSED'} ({figure})")
    print(json.dumps({name: {k: round(v, 3) for k, v in r.items()} for name, r in results.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
