"""``python -m bench.classify``: the category classifier's quality and speed, measured.

Quality: the model is trained as ``classifier_train`` trains it (the shipped labelled
texts and the demo categories' keywords) and judged on the fixed holdout
(``tests/data/complaints_holdout.jsonl``), overall and by subset (plain, dialect,
Arabizi, typos), with the precision of the confident suggestions.

Speed: one text at a time, as a caller classifies it. ``model`` times
``CategoryModel.probabilities`` alone; ``category_suggestions`` times the public
entry point on a throw-away SQLite database holding the demo organisation and the
serving model (its two small queries included). Figures are per text, in ms.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "data" / "complaints_holdout.jsonl"


def _timings(classify: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    for text in texts[:20]:  # warm caches and the model load
        classify(text)
    timings = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            classify(text)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _line(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"{name:<22} median {statistics.median(ordered):.2f} ms, p95 {p95:.2f} ms, "
        f"max {ordered[-1]:.2f} ms over {len(ordered)} texts"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.classify", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the holdout texts")
    parser.add_argument("--threshold", type=float, default=0.8, help="confidence threshold")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="nidaa-bench-classify-") as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'db.sqlite3'}"
        return _measure(args.rounds, args.threshold)


def _measure(rounds: int, threshold: float) -> int:
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("NIDAA_PRODUCTION_CHECKS", "0")  # a scratch SQLite file, no server
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nidaa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from demo import data as demo_data
    from helpdesk.classify import category_suggestions
    from helpdesk.learned import CategoryModel, evaluate, examples_from_jsonl
    from helpdesk.services.classifier import SHIPPED_EXAMPLES

    training = examples_from_jsonl(SHIPPED_EXAMPLES.read_text(encoding="utf-8").splitlines())
    holdout = examples_from_jsonl(HOLDOUT.read_text(encoding="utf-8").splitlines())
    keywords = {c["code"]: c["keywords_ar"] + c["keywords_en"] for c in demo_data.CATEGORIES}
    started = time.perf_counter()
    model = CategoryModel().fit(training, keywords=keywords)
    trained_in = time.perf_counter() - started
    figures = evaluate(model, holdout, threshold=threshold)
    print(f"trained on {len(training)} texts + keywords in {trained_in:.1f} s")
    print(
        f"holdout {figures.count} texts: top-1 {figures.top1:.1%}, top-3 {figures.top3:.1%}; "
        f"{figures.confident_count} confident (≥ {threshold:.0%}), "
        f"{figures.confident_precision:.1%} of them right"
    )
    for name, subset in figures.subsets.items():
        print(f"  {name:<8} {subset['count']:>4} texts, top-1 {subset['top1']:.1%}")
    for band in figures.reliability:
        print(
            f"  first suggestion ≥ {band['from']:.0%}: {band['count']:>4} texts, "
            f"stated {band['stated']:.1%} on average, right {band['right']:.1%}"
        )
    for pair in figures.confusions:
        print(f"  confused: {pair['category']} → {pair['predicted']} ({pair['count']})")

    texts = [example.text for example in holdout]
    print(_line("model", _timings(model.probabilities, texts, rounds)))

    call_command("migrate", verbosity=0)
    call_command("demo_setup", "--force", stdout=io.StringIO())
    call_command("classifier_train", stdout=io.StringIO())
    print(_line("category_suggestions", _timings(category_suggestions, texts, rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
