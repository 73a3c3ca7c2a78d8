"""English misspellings mended against a vocabulary: ``potohle`` → ``pothole``.

A word the vocabulary does not know is replaced by the most frequent known word
one edit away (a letter dropped, added, changed, or two neighbours swapped:
``Streetlihgt``). Short words are left alone: at four letters and below, one
edit reaches too many other words. Arabic is left to normalisation (one letter
changes an Arabic root).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ENGLISH_WORD = re.compile(r"^[a-z]+$")
MIN_LENGTH = 5


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    swaps = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    changes = {left + c + right[1:] for left, right in splits if right for c in _ALPHABET}
    inserts = {left + c + right for left, right in splits for c in _ALPHABET}
    return deletes | swaps | changes | inserts


class Speller:
    """Mends the English words of a text against the words it was built from."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(word for word in text.split() if _ENGLISH_WORD.match(word))
        self._counts = counts

    def __contains__(self, word: str) -> bool:
        return word in self._counts

    def correct(self, word: str) -> str | None:
        """The known word ``word`` most likely meant, or None when it is known or too far."""
        if len(word) < MIN_LENGTH or word in self._counts or not _ENGLISH_WORD.match(word):
            return None
        known = [candidate for candidate in _edits(word) if candidate in self._counts]
        if not known:
            return None
        return max(known, key=lambda candidate: (self._counts[candidate], candidate))

    def mend(self, text: str) -> str:
        """``text`` (already normalised) followed by the corrections of its misspelt words."""
        corrections = [fixed for word in text.split() if (fixed := self.correct(word))]
        return f"{text} {' '.join(corrections)}" if corrections else text
