"""What one post may hold on X (weighted 280) and in Messenger, and how longer text is cut."""

from __future__ import annotations

from social.limits import split_text, x_post_parts, x_weighted_length


def test_it_weighs_arabic_and_latin_one_and_cjk_and_emoji_two() -> None:
    assert x_weighted_length("ح" * 280) == 280
    assert x_weighted_length("a" * 280) == 280
    assert x_weighted_length("漢" * 140) == 280
    assert x_weighted_length("🙂") == 2


def test_it_weighs_any_link_23() -> None:
    assert x_weighted_length("https://www.mm.gov.om/ar/services/very/long/path?id=123") == 23


def test_it_keeps_a_short_reply_in_one_piece() -> None:
    assert x_post_parts("شكراً لتواصلكم") == ["شكراً لتواصلكم"]


def test_it_cuts_between_words_and_numbers_the_parts() -> None:
    parts = split_text("one two three four five six", limit=18, length=len)
    assert parts == ["one two (1/3)", "three four (2/3)", "five six (3/3)"]


def test_it_cuts_a_word_longer_than_a_part() -> None:
    parts = split_text("x" * 30, limit=16, length=len)
    assert "".join(p.split(" (")[0] for p in parts) == "x" * 30
    assert all(len(p) <= 16 for p in parts)
