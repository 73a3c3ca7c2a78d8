"""English misspellings mended against the training vocabulary."""

from __future__ import annotations

from helpdesk.spelling import Speller

speller = Speller(["pothole on the road", "streetlight broken", "parking parking"])


def test_it_mends_two_swapped_letters() -> None:
    assert speller.correct("potohle") == "pothole"
    assert speller.correct("streetlihgt") == "streetlight"


def test_it_mends_a_dropped_letter() -> None:
    assert speller.correct("parkig") == "parking"


def test_it_leaves_known_and_short_words_alone() -> None:
    assert speller.correct("pothole") is None
    assert speller.correct("rod") is None


def test_it_appends_corrections_after_the_text() -> None:
    assert speller.mend("huge potohle") == "huge potohle pothole"
