from __future__ import annotations

import pytest

from helpdesk.arabic import language_of, normalize, stem_ar, stem_en, tokens


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("رُخْصَةُ بِنَاءٍ", "رخصه بناء"),  # diacritics
        ("رخـــصة", "رخصه"),  # tatweel
        ("أإآٱ", "اااا"),  # alef forms
        ("مؤسسة", "موسسه"),  # hamza on waw
        ("بيئة", "بييه"),  # hamza on ya
        ("مستشفى", "مستشفي"),  # alif maqsura
        ("ی ک", "ي ك"),  # Persian yeh and keheh
        ("البلاغ ٢٠٢٦-١٢٣", "البلاغ 2026 123"),  # Arabic-Indic digits, punctuation
        ("Pothole, PLEASE!!", "pothole please"),
        ("هل يمكن؟ نعم، شكراً.", "هل يمكن نعم شكرا"),  # Arabic punctuation
    ],
)
def test_it_normalizes_the_variants_citizens_type(typed: str, expected: str) -> None:
    assert normalize(typed) == expected


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("الحاويات", "حاوي"),
        ("والحاوية", "حاوي"),
        ("بالشارع", "شارع"),
        ("للبلدية", "بلدي"),
        ("فالطريق", "طريق"),
        ("كالعادة", "عاد"),
        ("الحي", "حي"),  # the article is kept off but two letters remain
        ("وسخ", "وسخ"),  # a root starting with و is not a conjunction
    ],
)
def test_it_strips_arabic_prefixes_and_suffixes(word: str, stem: str) -> None:
    assert stem_ar(normalize(word)) == stem


def test_it_gives_singular_and_plural_the_same_arabic_stem() -> None:
    assert stem_ar(normalize("حاوية")) == stem_ar(normalize("حاويات"))
    assert stem_ar(normalize("مخالفة")) == stem_ar(normalize("مخالفات"))


@pytest.mark.parametrize(
    ("word", "stem"),
    [("potholes", "pothol"), ("pothole", "pothol"), ("flooded", "flood"), ("flies", "fly")],
)
def test_it_stems_simple_english(word: str, stem: str) -> None:
    assert stem_en(word) == stem


def test_it_does_not_turn_parking_into_park() -> None:
    assert stem_en("parking") == "parking"


def test_it_drops_stopwords_in_both_languages() -> None:
    assert tokens("ما هي رسوم رخصة البناء؟") == tokens("رسوم رخصة بناء")
    assert tokens("How do I renew the shop licence?") == ["renew", "shop", "licenc"]


def test_it_drops_stopwords_typed_with_alif_maqsura_or_ya() -> None:
    assert tokens("على الشارع") == tokens("علي الشارع") == ["شارع"]


def test_it_tells_arabic_from_english_text() -> None:
    assert language_of("السلام عليكم") == "ar"
    assert language_of("the bin is full") == "en"
    assert language_of("الـ bin مليان") == "ar"
    assert language_of("٢٠٢٦-١٢٣") is None
