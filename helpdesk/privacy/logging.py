"""Application logs without personal data.

:class:`PersonalDataFilter` sits on the log handlers (``LOGGING`` in the
settings) and rewrites each record before it is written:

- phone numbers (``+968 9123 4567``, ``0096891234567``, ``91234567``, also in
  Arabic-Indic digits) become ``[phone …67]``;
- e-mail addresses become ``[e-mail]``;
- message texts — anything the code marks with :func:`personal`, e.g.
  ``logger.info("SMS to %s: %s", to, personal(body))`` — become
  ``[text, 42 characters]``: a text cannot be recognised by its shape, so
  the code that logs one says so.

The traceback of a logged exception is masked the same way.
"""

from __future__ import annotations

import logging
import re

DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
SEP = r"[\s\-.]?"
PHONE = re.compile(
    rf"(?<![\w+])(?:"
    rf"\+{DIGIT}{{1,3}}{SEP}(?:{DIGIT}{SEP}){{6,13}}{DIGIT}"  # international, with +
    rf"|00{DIGIT}{{1,3}}{SEP}(?:{DIGIT}{SEP}){{6,13}}{DIGIT}"  # international, with 00
    rf"|968{SEP}[279]{DIGIT}{{3}}{SEP}{DIGIT}{{4}}"  # Oman without + (as gateways write it)
    rf"|[279]{DIGIT}{{3}}{SEP}{DIGIT}{{4}}"  # Oman, local (mobiles 7/9, fixed lines 2)
    rf")(?!\w)"
)
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


class PersonalText(str):
    """A string that must never reach a log as it is (a message's text)."""


def personal(text: object) -> PersonalText:
    return PersonalText("" if text is None else str(text))


def _phone(match: re.Match[str]) -> str:
    digits = [ch for ch in match.group(0) if ch.isdigit()]
    return f"[phone …{''.join(digits[-2:])}]"


def mask(text: str) -> str:
    """``text`` with phone numbers and e-mail addresses masked."""
    return PHONE.sub(_phone, EMAIL.sub("[e-mail]", text))


def _masked_arg(value: object) -> object:
    if isinstance(value, PersonalText):
        return f"[text, {len(value)} characters]"
    return value


class PersonalDataFilter(logging.Filter):
    """Masks personal data in every record; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = {key: _masked_arg(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_masked_arg(value) for value in record.args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string: log it as it came
            message = f"{record.msg} {record.args}"
        record.msg, record.args = mask(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True
