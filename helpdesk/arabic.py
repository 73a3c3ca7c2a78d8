"""Arabic (and simple English) text as a matcher needs it: normalised, tokenised, stemmed.

Citizens type the same word many ways: with or without diacritics, with any
alef or hamza form, ``ة`` or ``ه`` at the end, ``ى`` or ``ي``, stretched with
tatweel, in Arabic-Indic digits. :func:`normalize` folds those variants into
one spelling; :func:`tokens` splits, drops stop words and strips common
prefixes and suffixes (light stemming), so ``والحاويات`` and ``حاوية`` meet.
Used by the keyword classifier, the assistant's knowledge-base search and the
agent console.
"""

from __future__ import annotations

import re
import unicodedata

from helpdesk.phones import to_ascii_digits

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTER_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ة": "ه",
        "ى": "ي",
        "ک": "ك",  # Persian keheh, common on some keyboards
        "ی": "ي",  # Persian yeh
        "ھ": "ه",  # Urdu heh doachashmee
    }
)
# Anything that is not a letter or a digit separates words (Arabic comma,
# question mark and semicolon included).
_SEPARATORS = re.compile(r"[^\w]+|_")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_LETTER = re.compile("[a-z]")

_AR_STOPWORDS_AS_TYPED = """
    في من على الى عن مع هذا هذه ذلك تلك هناك هنا التي الذي الذين ان او ثم قد لقد كان كانت
    يكون ما ماذا لا لم لن هل كل بعض عند عندي عندنا لدي لدينا انا نحن انت انتم هو هي هم
    يا و ف ب ل ك به بها فيه فيها منه منها عليه عليها اليه لي لنا له لها الي
    اللي شي شيء ايش وش شو كيف متى وين اين لماذا ليش كم اي ايه
    ابغى ابي ابا اريد اود نريد نبي نبغى ممكن لو سمحت رجاء الرجاء نرجو ارجو يرجى بعد قبل
    """.split()

EN_STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for from with about into over under near
    is are was were be been being am do does did have has had having it its it's this that
    these those there here i me my we our us you your he she they them their his her
    what which who whom when where why how can could would should will shall may might must
    please pls plz hi hello thanks thank not no so very just also too any some all as than
    then up down out off again still yet want wanted need needs like get got know tell
    after before
    """.split()
)

# Longest first, so ``وال`` is tried before ``ال``. A prefix is stripped only
# when at least two letters remain (``الحي`` keeps ``حي``).
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
# Plural, dual, possessive and nisba endings (after ة→ه normalisation).
_AR_SUFFIXES = ("ات", "ون", "ين", "ان", "ها", "هم", "كم", "نا", "ه", "ي")
_AR_MIN_STEM = 3


def normalize(text: str) -> str:
    """One spelling for the variants citizens type; words separated by single spaces."""
    text = unicodedata.normalize("NFKC", to_ascii_digits(text or ""))
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTER_MAP).lower()
    return " ".join(_SEPARATORS.sub(" ", text).split())


# Stop words are compared after normalisation (``على`` is typed ``علي`` too).
AR_STOPWORDS = frozenset(normalize(word) for word in _AR_STOPWORDS_AS_TYPED)


def is_arabic(word: str) -> bool:
    return bool(_ARABIC_LETTER.search(word))


def stem_ar(word: str) -> str:
    """Light stemming of one normalised Arabic word."""
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    else:
        # The conjunction و glued to a word: ``وحفرة``; only on long words so
        # that roots beginning with و (``وسخ``) survive.
        if word.startswith("و") and len(word) >= 5:
            word = word[1:]
    for suffix in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _AR_MIN_STEM:
            return word[: -len(suffix)]
    return word


# Words whose ending is not a suffix (``parking`` is not ``park``).
_EN_KEEP = frozenset({"parking", "morning", "evening", "during", "ceiling", "nothing", "something"})


def stem_en(word: str) -> str:
    """A small suffix stripper: ``potholes``→``pothol``, ``flooded``→``flood``."""
    if len(word) <= 3 or word in _EN_KEEP:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stem(word: str) -> str:
    if is_arabic(word):
        return stem_ar(word)
    if _LATIN_LETTER.search(word):
        return stem_en(word)
    return word


def is_stopword(word: str) -> bool:
    return word in AR_STOPWORDS or word in EN_STOPWORDS


def tokens(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Normalised, stemmed words of ``text`` in order (stop words dropped unless kept)."""
    return [
        stem(word) for word in normalize(text).split() if keep_stopwords or not is_stopword(word)
    ]


def language_of(text: str) -> str | None:
    """``"ar"`` when the text has Arabic letters, ``"en"`` when only Latin ones, else ``None``."""
    normalised = normalize(text)
    if _ARABIC_LETTER.search(normalised):
        return "ar"
    if _LATIN_LETTER.search(normalised):
        return "en"
    return None
