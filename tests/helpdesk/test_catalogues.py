"""Arabic is the first language: its catalogue must be complete and compiled."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(po_text: str) -> list[str]:
    return [block for block in po_text.split("\n\n") if "msgid " in block]


def test_every_arabic_entry_is_translated_and_none_is_fuzzy() -> None:
    po_text = (LOCALE / "ar" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    untranslated = [
        block
        for block in _entries(po_text)[1:]  # the first entry is the header
        if re.search(r'^msgstr(\[\d\])? ""\n?$', block, flags=re.M)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', block, flags=re.M)
    ]
    assert untranslated == []
    assert "#, fuzzy" not in po_text


def test_the_compiled_catalogue_matches_its_source() -> None:
    folder = LOCALE / "ar" / "LC_MESSAGES"
    assert (folder / "django.mo").stat().st_size > 0
    po_text = (folder / "django.po").read_text(encoding="utf-8")
    with translation.override("ar"):
        for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po_text, flags=re.M):
            if "%" in msgid or "\\" in msgid:
                continue
            assert translation.gettext(msgid) == msgstr, msgid
