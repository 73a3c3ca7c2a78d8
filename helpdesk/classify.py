"""Which category a citizen's text is about, from the categories' keywords.

A small, explainable matcher: the text and every keyword are normalised and
lightly stemmed (:mod:`helpdesk.arabic`); a category scores the rarity-weighted
sum of its keyword words found in the text, plus a bonus for every keyword
phrase found whole (``مياه الامطار``, ``blocked drain``). The assistant uses the
top suggestion to propose a category; the agent console offers the top three.

:class:`TextIndex` is the same matcher over any items with weighted text
fields; the assistant's knowledge-base search uses it too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from helpdesk.arabic import is_arabic, tokens
from helpdesk.models import Category

T = TypeVar("T")

# A keyword phrase found whole adds this much per extra word it holds.
PHRASE_BONUS = 1.5
# A word that appears only inside longer keyword phrases (``night`` of ``noise at
# night``) says less on its own than a one-word keyword.
PART_OF_PHRASE = 0.5
# A misspelt English word (one letter added, dropped or changed) counts this much.
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
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _keyword_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def category_index(categories: Iterable[Category] | None = None) -> TextIndex[Category]:
    """An index over the categories' keywords (the active ones unless given)."""
    if categories is None:
        categories = Category.objects.filter(is_active=True).select_related("default_section")
    return TextIndex(
        (
            category,
            [
                Field(1.0, phrases=_keyword_lines(category.keywords_ar)),
                Field(1.0, phrases=_keyword_lines(category.keywords_en)),
            ],
        )
        for category in categories
    )


def category_suggestions(
    text: str, *, limit: int = 3, index: TextIndex[Category] | None = None
) -> list[Match[Category]]:
    """The categories ``text`` most likely belongs to, best first (empty when none match)."""
    return (index or category_index()).rank(text, limit=limit)
