"""The learned category model: character and word n-grams, a linear model, a stated confidence.

Features are read from the text as :func:`prepare` spells it: normalised
(:mod:`helpdesk.arabic`), Arabizi spelled in Arabic letters and dialect words
glossed (:mod:`helpdesk.arabizi`), misspelt English words mended against the
training vocabulary (:mod:`helpdesk.spelling`). Character n-grams (2 to 5
letters, inside word boundaries) meet a word however it is inflected or
misspelt; stemmed words and word pairs carry the rest. A linear support vector
machine (scikit-learn's ``LinearSVC``, one-vs-rest) is trained on the labelled
examples plus every category keyword as a one-line example, so a category with
keywords and no examples yet can still be suggested.

Confidence: the machine's margins become probabilities through a softmax whose
temperature is fitted on out-of-fold margins (temperature scaling), so that
"0.8" means right about eight times in ten on texts the model did not see. :func:`evaluate` gives
the figures a model is judged and published by.

Pure computation, no database: :mod:`helpdesk.services.classifier` trains and
stores models, :mod:`helpdesk.classify` uses them.
"""

from __future__ import annotations

import json
import math
import pickle
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from helpdesk.arabic import is_arabic, stem, tokens
from helpdesk.arabizi import expand
from helpdesk.spelling import Speller

# Bumped when features change: a stored model of another version is not used.
FEATURES_VERSION = 1
# Inverse regularisation strength (see docs/assistant.md for how it was chosen).
DEFAULT_C = 0.5
CALIBRATION_FOLDS = 5
# Lower bounds of the probability bands the reliability figures are given for.
RELIABILITY_BANDS = (0.95, 0.8, 0.5, 0.0)
# One-letter proclitics (بـ لـ كـ فـ) glued to a word: ``بسعر`` also counts as ``سعر``.
_PROCLITICS = ("ب", "ل", "ك", "ف")


@dataclass(frozen=True)
class Example:
    text: str
    category: str  # a category code
    kind: str = ""  # "dialect", "arabizi", "typo" … for figures by subset; "" when plain


def _word_features(prepared: str) -> list[str]:
    """Stemmed words, neighbouring pairs, and words with a one-letter proclitic taken off."""
    words = tokens(prepared)
    features = list(words)
    features.extend(f"{first} {second}" for first, second in pairwise(words))
    for word in words:
        if len(word) >= 4 and word[0] in _PROCLITICS and is_arabic(word):
            features.append(stem(word[1:]))
    return features


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


def _fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that makes out-of-fold probabilities most likely (lowest log loss)."""

    def loss(temperature: float) -> float:
        probabilities = _softmax(logits / temperature)
        picked = probabilities[np.arange(len(labels)), labels]
        return float(-np.log(np.clip(picked, 1e-12, None)).mean())

    result = minimize_scalar(loss, bounds=(0.05, 20.0), method="bounded")
    return float(result.x)


class CategoryModel:
    """Scores every trained category for a text; probabilities sum to one."""

    def __init__(self, *, c: float = DEFAULT_C) -> None:
        self.c = c
        self.version = FEATURES_VERSION
        self.temperature = 1.0
        self.categories: list[str] = []
        self._speller = Speller(())
        self._chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=False
        )
        self._words = TfidfVectorizer(analyzer=_word_features, sublinear_tf=True, lowercase=False)
        self._linear = LinearSVC(C=c, random_state=0)  # the dual solver shuffles

    def prepare(self, text: str) -> str:
        return self._speller.mend(expand(text))

    def _features(self, prepared: Sequence[str], *, fit: bool = False) -> sparse.csr_matrix:
        if fit:
            parts = [self._chars.fit_transform(prepared), self._words.fit_transform(prepared)]
        else:
            parts = [self._chars.transform(prepared), self._words.transform(prepared)]
        return sparse.hstack(parts).tocsr()

    def _fit_once(self, texts: Sequence[str], labels: Sequence[str]) -> None:
        expanded = [expand(text) for text in texts]
        self._speller = Speller(expanded)
        matrix = self._features([self._speller.mend(text) for text in expanded], fit=True)
        self._linear.fit(matrix, list(labels))
        # Half the stored size; the margins move by far less than the temperature resolves.
        self._linear.coef_ = self._linear.coef_.astype(np.float32)
        self.categories = [str(code) for code in self._linear.classes_]

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        matrix = self._features([self.prepare(text) for text in texts])
        return np.asarray(self._linear.decision_function(matrix))

    def fit(
        self, examples: Sequence[Example], *, keywords: Mapping[str, Sequence[str]] | None = None
    ) -> CategoryModel:
        """Train on ``examples`` plus each keyword as an example of its category."""
        keyword_examples = [
            Example(text=line, category=code)
            for code, lines in (keywords or {}).items()
            for line in lines
        ]
        self.temperature = self._calibrate(examples, keyword_examples)
        everything = [*examples, *keyword_examples]
        self._fit_once([e.text for e in everything], [e.category for e in everything])
        return self

    def _calibrate(self, examples: Sequence[Example], keyword_examples: Sequence[Example]) -> float:
        counts = Counter(example.category for example in examples)
        folds = min(CALIBRATION_FOLDS, min(counts.values(), default=0))
        if folds < 2 or len(counts) < 2:
            return 1.0
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        labels = np.array([example.category for example in examples])
        every = sorted({e.category for e in examples} | {e.category for e in keyword_examples})
        logits: list[np.ndarray] = []
        truths: list[int] = []
        for train, held in splitter.split(np.zeros(len(labels)), labels):
            fold = CategoryModel(c=self.c)
            chosen = [examples[i] for i in train] + list(keyword_examples)
            fold._fit_once([e.text for e in chosen], [e.category for e in chosen])
            if fold.categories != every:
                continue  # a category missing from this fold: its columns would not line up
            logits.append(fold._logits([examples[i].text for i in held]))
            truths.extend(every.index(examples[i].category) for i in held)
        if not logits:
            return 1.0
        return _fit_temperature(np.vstack(logits), np.array(truths))

    def dumps(self) -> bytes:
        """The model as bytes, for the database (``ClassifierModel.artefact``)."""
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes, *, version: int) -> CategoryModel | None:
        """A stored model, or None when it was built with other features than these."""
        if version != FEATURES_VERSION:
            return None
        # Artefacts are written only by classifier_train, into our own database.
        model = pickle.loads(data)  # noqa: S301
        return model if isinstance(model, cls) else None

    def probabilities(self, text: str) -> list[tuple[str, float]]:
        """Every category with its probability for ``text``, most probable first."""
        return self.probabilities_many([text])[0]

    def probabilities_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        if not self.categories:
            return [[] for _ in texts]
        logits = self._logits(texts)
        if logits.ndim == 1:  # two categories: one column of log-odds
            logits = np.column_stack([-logits, logits])
        rows = _softmax(logits / self.temperature)
        ranked: list[list[tuple[str, float]]] = []
        for row in rows:
            order = np.argsort(-row, kind="stable")
            ranked.append([(self.categories[i], float(row[i])) for i in order])
        return ranked


@dataclass
class Figures:
    """How a model did on labelled texts it was not trained on."""

    count: int = 0
    top1: float = 0.0
    top3: float = 0.0
    threshold: float = 0.0
    confident_count: int = 0
    confident_precision: float = 0.0
    per_category: dict[str, dict[str, float]] = field(default_factory=dict)
    confusions: list[dict[str, Any]] = field(default_factory=list)
    subsets: dict[str, dict[str, float]] = field(default_factory=dict)
    # Stated probability of the first suggestion against how often it was right, by band.
    reliability: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "top1": self.top1,
            "top3": self.top3,
            "threshold": self.threshold,
            "confident_count": self.confident_count,
            "confident_precision": self.confident_precision,
            "per_category": self.per_category,
            "confusions": self.confusions,
            "subsets": self.subsets,
            "reliability": self.reliability,
        }


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def evaluate(model: CategoryModel, examples: Sequence[Example], *, threshold: float) -> Figures:
    """Top-1 and top-3 accuracy, precision above ``threshold``, per category, confusions."""
    if not examples:
        return Figures(threshold=threshold)
    ranked = model.probabilities_many([example.text for example in examples])
    top1 = top3 = confident = confident_right = 0
    totals: Counter[str] = Counter()
    rights: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    subset_totals: Counter[str] = Counter()
    subset_rights: Counter[str] = Counter()
    band_counts: Counter[int] = Counter()
    band_rights: Counter[int] = Counter()
    band_stated: defaultdict[int, float] = defaultdict(float)
    for example, scores in zip(examples, ranked, strict=True):
        best = [code for code, _ in scores[:3]]
        right = bool(best) and best[0] == example.category
        top1 += right
        top3 += example.category in best
        totals[example.category] += 1
        rights[example.category] += right
        subset = example.kind or "plain"
        subset_totals[subset] += 1
        subset_rights[subset] += right
        if not right and best:
            confusions[(example.category, best[0])] += 1
        if scores and scores[0][1] >= threshold:
            confident += 1
            confident_right += right
        if scores:
            band = next(i for i, low in enumerate(RELIABILITY_BANDS) if scores[0][1] >= low)
            band_counts[band] += 1
            band_rights[band] += right
            band_stated[band] += scores[0][1]
    return Figures(
        count=len(examples),
        top1=_ratio(top1, len(examples)),
        top3=_ratio(top3, len(examples)),
        threshold=threshold,
        confident_count=confident,
        confident_precision=_ratio(confident_right, confident),
        per_category={
            code: {"count": totals[code], "accuracy": _ratio(rights[code], totals[code])}
            for code in sorted(totals)
        },
        confusions=[
            {"category": truth, "predicted": predicted, "count": count}
            for (truth, predicted), count in confusions.most_common()
        ],
        subsets={
            name: {
                "count": subset_totals[name],
                "top1": _ratio(subset_rights[name], subset_totals[name]),
            }
            for name in sorted(subset_totals)
        },
        reliability=[
            {
                "from": RELIABILITY_BANDS[band],
                "count": band_counts[band],
                "stated": round(band_stated[band] / band_counts[band], 4),
                "right": _ratio(band_rights[band], band_counts[band]),
            }
            for band in sorted(band_counts)
        ],
    )


def examples_from_jsonl(lines: Iterable[str]) -> list[Example]:
    """Labelled texts as the shipped JSON-lines files hold them (text, category, kind)."""
    rows = [json.loads(line) for line in lines if line.strip()]
    return [Example(row["text"], row["category"], row.get("kind", "")) for row in rows]


def log_loss(model: CategoryModel, examples: Sequence[Example]) -> float:
    """Mean negative log-probability of the right category (lower is better calibrated)."""
    ranked = model.probabilities_many([example.text for example in examples])
    total = 0.0
    for example, scores in zip(examples, ranked, strict=True):
        probability = dict(scores).get(example.category, 0.0)
        total -= math.log(max(probability, 1e-12))
    return total / max(len(examples), 1)
