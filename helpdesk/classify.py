"""Which category a citizen's text is about, and how sure we are.

Two matchers stand behind :func:`category_suggestions`:

- the learned model (:mod:`helpdesk.learned`), trained by ``manage.py
  classifier_train`` on the shipped labelled texts, the staff's corrections and
  the keywords, gives every category a calibrated probability. A suggestion at
  least ``NIDAA_CLASSIFIER_CONFIDENCE`` probable is *confident*: the agent's form
  pre-selects it and the assistant proposes it alone; below that, the citizen or
  the agent chooses among the top three.
- the keyword matcher (:class:`TextIndex` over the categories' keywords) is the
  cold start: it serves before any model is trained, and for a category newer
  than the serving model. Its suggestions state no probability and are never
  confident.

A tie is never settled by the order of the categories: :func:`clear_leader` is
empty when the first two suggestions score the same.

:class:`TextIndex` is a small explainable matcher over any items with weighted
text fields: the text and every keyword are normalised and lightly stemmed
(:mod:`helpdesk.arabic`); an item scores the rarity-weighted sum of its words
found in the text, plus a bonus for every phrase found whole. The assistant's
knowledge-base search uses it too.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.conf import settings

from helpdesk.arabic import is_arabic, tokens
from helpdesk.learned import CategoryModel
from helpdesk.models import Category, ClassifierModel

T = TypeVar("T")

# A keyword phrase found whole adds this much per extra word it holds.
PHRASE_BONUS = 1.5
# A word that appears only inside longer keyword phrases (``night`` of ``noise at
# night``) says less on its own than a one-word keyword.
PART_OF_PHRASE = 0.5
# A misspelt English word (one letter added, dropped or changed, or two swapped) counts this much.
# Arabic words are short and one letter changes the root (تأخير/تأشير), so
# Arabic spelling variation is left to normalisation instead.
TYPO = 0.6
TYPO_MIN_LENGTH = 5


@dataclass(frozen=True)
class Field:
    """Text describing an item. ``phrases`` are matched whole as well as word by word."""

    weight: float
    phrases: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Match(Generic[T]):
    item: T
    score: float
    words: tuple[str, ...]  # the stemmed words that matched, for explanations and summaries


@dataclass
class _Entry(Generic[T]):
    item: T
    word_weights: dict[str, float]
    phrases: list[tuple[tuple[str, ...], float]]


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    width = len(needle)
    return any(tuple(haystack[i : i + width]) == tuple(needle) for i in range(len(haystack)))


class TextIndex(Generic[T]):
    """Rank items by how well their weighted fields match a free text."""

    def __init__(self, items: Iterable[tuple[T, Sequence[Field]]]) -> None:
        self._entries: list[_Entry[T]] = []
        document_frequency: dict[str, int] = {}
        for item, fields in items:
            weights: dict[str, float] = {}
            phrases: list[tuple[tuple[str, ...], float]] = []
            for field in fields:
                for phrase in field.phrases:
                    words = tuple(tokens(phrase))
                    part = field.weight
                    if len(words) > 1:
                        phrases.append((words, field.weight))
                        part *= PART_OF_PHRASE
                    for word in words:
                        weights[word] = max(weights.get(word, 0.0), part)
                for word in tokens(field.text):
                    weights[word] = max(weights.get(word, 0.0), field.weight)
            for word in weights:
                document_frequency[word] = document_frequency.get(word, 0) + 1
            self._entries.append(_Entry(item, weights, phrases))
        count = max(len(self._entries), 1)
        # Rare words say more: a word known to one category outweighs one shared by five.
        self._rarity = {
            word: 1.0 + math.log(count / frequency)
            for word, frequency in document_frequency.items()
        }
        self._long_words = [word for word in self._rarity if len(word) >= TYPO_MIN_LENGTH - 1]

    def __len__(self) -> int:
        return len(self._entries)

    def rank(self, text: str, *, limit: int = 3, min_score: float = 0.0) -> list[Match[T]]:
        """The best ``limit`` items scoring above ``min_score``, best first."""
        words = tokens(text)
        present = set(words)
        typos = self._typos(present)
        matches: list[Match[T]] = []
        for entry in self._entries:
            found = sorted(present.intersection(entry.word_weights))
            score = sum(entry.word_weights[word] * self._rarity[word] for word in found)
            for meant in sorted(typos.intersection(entry.word_weights)):
                score += TYPO * entry.word_weights[meant] * self._rarity[meant]
                found.append(meant)
            for phrase, weight in entry.phrases:
                if _contains(words, phrase):
                    score += PHRASE_BONUS * weight * (len(phrase) - 1)
            if score > min_score:
                matches.append(Match(entry.item, round(score, 3), tuple(found)))
        matches.sort(key=lambda match: -match.score)
        return matches[:limit]

    def _typos(self, present: set[str]) -> set[str]:
        """Known words one edit away from an unknown word of the text."""
        meant: set[str] = set()
        for word in present:
            if len(word) < TYPO_MIN_LENGTH or word in self._rarity or is_arabic(word):
                continue
            meant.update(known for known in self._long_words if _one_edit_apart(word, known))
        return meant


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differ) == 2 and differ[1] == differ[0] + 1:  # two neighbours swapped
            return a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]
        return len(differ) == 1
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _keyword_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class Suggestion:
    """A category a text may belong to."""

    item: Category
    # Calibrated probability from the learned model; None when only keywords suggest it.
    probability: float | None
    # Probable enough to pre-select (the model's probability at least the threshold).
    confident: bool
    keyword_score: float = 0.0
    words: tuple[str, ...] = ()  # the keyword words that matched, for explanations

    @property
    def strength(self) -> float:
        return self.probability if self.probability is not None else self.keyword_score


class _Cache:
    """The serving model and the keyword index, reloaded only when they change."""

    model_key: tuple[int, datetime.datetime] | None = None
    model: CategoryModel | None = None
    index_key: tuple[tuple[int, str, str], ...] = ()
    index: TextIndex[int] = TextIndex(())


def _serving_model() -> CategoryModel | None:
    row = ClassifierModel.objects.filter(is_active=True).values_list("pk", "created_at").first()
    if row is None:
        return None
    if _Cache.model_key != row:
        serving = ClassifierModel.objects.filter(pk=row[0]).first()
        _Cache.model = (
            CategoryModel.loads(bytes(serving.artefact), version=serving.features_version)
            if serving is not None
            else None
        )
        _Cache.model_key = row
    return _Cache.model


def _keyword_index(categories: Iterable[Category]) -> TextIndex[int]:
    """An index over the categories' keywords, by primary key (rebuilt when keywords change)."""
    key = tuple((c.pk, c.keywords_ar, c.keywords_en) for c in categories)
    if key != _Cache.index_key:
        _Cache.index = TextIndex(
            (
                pk,
                [
                    Field(1.0, phrases=_keyword_lines(keywords_ar)),
                    Field(1.0, phrases=_keyword_lines(keywords_en)),
                ],
            )
            for pk, keywords_ar, keywords_en in key
        )
        _Cache.index_key = key
    return _Cache.index


def category_suggestions(text: str, *, limit: int = 3) -> list[Suggestion]:
    """The categories ``text`` most likely belongs to, best first (empty for text without words).

    With a serving model: its ``limit`` most probable active categories, and ahead of
    them (or just behind a confident first) any category newer than the model whose
    keywords match. Without one: the keyword matches alone.
    """
    if not tokens(text):
        return []
    categories = {
        category.code: category
        for category in Category.objects.filter(is_active=True).select_related("default_section")
    }
    model = _serving_model()
    known = set(model.categories) if model is not None else set()
    newer = [category for category in categories.values() if category.code not in known]
    by_pk = {category.pk: category for category in newer}
    cold = [
        Suggestion(by_pk[match.item], None, False, match.score, match.words)
        for match in _keyword_index(newer).rank(text, limit=limit)
    ]
    if model is None:
        return cold
    ranked = [(code, p) for code, p in model.probabilities(text) if code in categories]
    total = sum(p for _, p in ranked) or 1.0
    threshold = settings.NIDAA_CLASSIFIER_CONFIDENCE
    stated = [(categories[code], round(p / total, 4)) for code, p in ranked[:limit]]
    learned = [Suggestion(category, p, p >= threshold) for category, p in stated]
    if learned and learned[0].confident:
        return [learned[0], *cold, *learned[1:]][:limit]
    return [*cold, *learned][:limit]


def clear_leader(suggestions: Sequence[Suggestion]) -> Suggestion | None:
    """The first suggestion when it is strictly ahead of the second; None on a tie or nothing."""
    if not suggestions:
        return None
    first = suggestions[0]
    if len(suggestions) > 1:
        second = suggestions[1]
        same_kind = (first.probability is None) == (second.probability is None)
        if same_kind and second.strength >= first.strength:
            return None
    return first
