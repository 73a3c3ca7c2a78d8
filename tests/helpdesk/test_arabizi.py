"""Arabizi spelled back in Arabic letters; dialect words glossed."""

from __future__ import annotations

import pytest

from helpdesk.arabizi import expand, looks_like_arabizi, transliterate


@pytest.mark.parametrize(
    ("word", "spelling"),
    [("7ofra", "حفره"), ("share3", "شارع"), ("3ind", "عند"), ("kilab", "كلاب"), ("6afi", "طافي")],
)
def test_it_spells_arabizi_words_in_arabic_letters(word: str, spelling: str) -> None:
    assert spelling in transliterate(word)


def test_it_joins_the_article_to_its_word() -> None:
    assert "الشارع" in expand("fi 7ofra fi el share3").split()


def test_it_recognises_arabizi_by_its_digits_not_english_numbers() -> None:
    assert looks_like_arabizi("7ofra")
    assert not looks_like_arabizi("2026")
    assert not looks_like_arabizi("pothole")


def test_it_leaves_plain_english_alone() -> None:
    assert expand("The street light is broken") == "the street light is broken"


def test_it_glosses_gulf_words_with_the_standard_ones() -> None:
    assert "مياه" in expand("الماي مقطوع").split()
    assert "قمامه" in expand("والزبالة متكومة").split()
