"""Arabic as people type it: Arabizi spelled back in Arabic letters, Gulf words glossed.

Citizens write Arabic in Latin letters and digits (``7ofra`` for حفرة, ``share3``
for شارع, ``mafi mai`` for ما في ماي) and in Gulf and Omani dialect (``ماي`` for
water, ``زبالة`` for rubbish, ``طافية`` for a light that is off). The learned
classifier reads :func:`expand`'s output: the normalised text followed by the
Arabic spellings of its Arabizi words and the standard words its dialect words
mean, so a text meets the examples written the other way.

Transliteration is a guess (short vowels are not written in Arabic), so each
Arabizi word yields two spellings: one with its vowels as long vowels
(``share3`` → شارع) and its consonant skeleton (شرع); character n-grams of
either meet the Arabic examples.
"""

from __future__ import annotations

import re

from helpdesk.arabic import normalize

# Digits that stand for Arabic letters Latin has no letter for.
_DIGIT_LETTERS = {"2": "ء", "3": "ع", "5": "خ", "6": "ط", "7": "ح", "8": "ق", "9": "ص"}
_DIGRAPHS = {"sh": "ش", "kh": "خ", "gh": "غ", "th": "ث", "dh": "ذ", "ch": "ش"}
_CONSONANTS = {
    "b": "ب",
    "t": "ت",
    "j": "ج",
    "g": "ق",  # Gulf speakers write the qaf they pronounce /g/ as g: ``tareeg``
    "d": "د",
    "r": "ر",
    "z": "ز",
    "s": "س",
    "f": "ف",
    "q": "ق",
    "k": "ك",
    "l": "ل",
    "m": "م",
    "n": "ن",
    "h": "ه",
    "w": "و",
    "y": "ي",
    "p": "ب",
    "v": "ف",
    "c": "ك",
    "x": "كس",
}
_LONG_VOWELS = {"a": "ا", "e": "ي", "i": "ي", "o": "و", "u": "و"}
# A lone ``e``, ``i``, ``o`` or ``u`` inside a word is a short vowel (not written); ``a`` is
# as often long as short, and doubled ``ee``/``oo`` are long.
_SHORT_ALONE = frozenset("eiou")
_ARTICLES = frozenset({"el", "al", "il"})
_ARABIZI_DIGIT = re.compile(r"[a-z][235-9]|[235-9][a-z]")
_LATIN_WORD = re.compile(r"^[a-z0-9]+$")

# Arabizi words common enough to be recognised without a digit in them.
_ARABIZI_WORDS = frozenset(
    """
    mafi mafee fi fee el al wala ma mai maay maya zbala zibala sayara sayyara sayarat
    share shari kilab kalb lampa lampat mat3am baladiya mawagif mawaqif bait beit
    jamb 3ind ind min kil kol wayed wayid 7ara hara ams
    """.split()
)

# Gulf and Omani words, glossed with the standard words the examples use. Keys and
# values are compared after :func:`helpdesk.arabic.normalize`.
_DIALECT_AS_TYPED = {
    "ماي": "مياه ماء",
    "الماي": "مياه ماء",
    "مويه": "مياه ماء",
    "المويه": "مياه ماء",
    "زبالة": "قمامة نفايات",
    "الزبالة": "قمامة نفايات",
    "وساخة": "قمامة نفايات",
    "الوساخة": "قمامة نفايات",
    "الزبايل": "قمامة نفايات",
    "طافية": "مطفاة انارة",
    "طافي": "مطفا انارة",
    "طافيه": "مطفاة انارة",
    "ظلمة": "ظلام انارة",
    "لمبة": "انارة مصباح",
    "اللمبة": "انارة مصباح",
    "اللمبات": "انارة مصباح",
    "ليت": "انارة مصباح",
    "قطوة": "قطة",
    "قطاوة": "قطط",
    "القطاوة": "قطط",
    "ونيت": "سيارة",
    "تانكر": "شاحنة",
    "قلاب": "شاحنة",
    "يكب": "يرمي",
    "يكبون": "يرمون",
    "كب": "رمى",
    "كبت": "رمت",
    "مترسة": "ممتلئة",
    "مليانة": "ممتلئة",
    "فايضة": "ممتلئة",
    "دكان": "محل",
    "الدكان": "محل",
    "بيب": "انبوب",
    "البيب": "انبوب",
    "النت": "انترنت",
    "ارسال": "تغطية شبكة",
    "الجوال": "هاتف",
    "خربان": "معطل تالف",
    "خربانة": "معطلة تالفة",
    "طايح": "ساقط",
    "طايحة": "ساقطة",
    "ناموس": "بعوض",
    "الناموس": "بعوض",
    "فيران": "فئران",
    "الفيران": "فئران",
    "ذبانه": "ذباب",
    "سايب": "سائب",
    "السايبة": "السائبة",
    "سايبة": "سائبة",
    "العيال": "الاطفال",
}
_DIALECT = {normalize(word): normalize(gloss) for word, gloss in _DIALECT_AS_TYPED.items()}


def looks_like_arabizi(word: str) -> bool:
    """A Latin word with a digit standing for an Arabic letter (``7ofra``, ``share3``)."""
    return bool(_LATIN_WORD.match(word) and _ARABIZI_DIGIT.search(word))


def transliterate(word: str) -> tuple[str, str]:
    """Two Arabic spellings of an Arabizi word: vowels written long, and the bare consonants."""
    voweled: list[str] = []
    skeleton: list[str] = []
    index = 0
    length = len(word)
    while index < length:
        pair = word[index : index + 2]
        char = word[index]
        if pair in _DIGRAPHS:
            letter = _DIGRAPHS[pair]
            voweled.append(letter)
            skeleton.append(letter)
            index += 2
            continue
        if char in _LONG_VOWELS:
            at_end = index == length - 1
            if at_end and char == "a" and index > 0:
                voweled.append("ه")  # a final -a is usually the feminine ending ة
            elif at_end and index > 0:
                voweled.append(_LONG_VOWELS[char])  # a final vowel is written: ``6afi`` طافي
            elif index == 0:
                voweled.append("ا")
                skeleton.append("ا")
            elif pair[1:] == char:  # a doubled vowel is long, written once
                voweled.append(_LONG_VOWELS[char])
                index += 1
            elif char not in _SHORT_ALONE:
                voweled.append(_LONG_VOWELS[char])
            index += 1
            continue
        letter = _DIGIT_LETTERS.get(char) or _CONSONANTS.get(char, "")
        if letter and not (pair[1:] == char and char not in _DIGIT_LETTERS):
            voweled.append(letter)
            skeleton.append(letter)
        index += 1
    return "".join(voweled), "".join(skeleton)


def expand(text: str) -> str:
    """The normalised text, then its Arabizi words in Arabic letters and its dialect glosses."""
    normalised = normalize(text)
    words = normalised.split()
    arabizi_sentence = any(looks_like_arabizi(word) for word in words)
    extra: list[str] = []
    article = ""
    for word in words:
        if word in _ARTICLES and (arabizi_sentence or word in _ARABIZI_WORDS):
            article = "ال"  # ``el share3`` is one Arabic word: الشارع
            continue
        if (arabizi_sentence and _LATIN_WORD.match(word) and not word.isdigit()) or (
            word in _ARABIZI_WORDS
        ):
            extra.extend(article + spelling for spelling in transliterate(word))
        article = ""
        gloss = _DIALECT.get(word) or (word.startswith("و") and _DIALECT.get(word[1:]))
        if gloss:
            extra.append(gloss)
    if not extra:
        return normalised
    return f"{normalised} {' '.join(extra)}"
