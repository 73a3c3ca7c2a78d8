"""JSON from outside (request bodies, socket frames), read safely.

``json.loads`` alone lets three things through that fail later, far from the
edge, as a 500 or a dead socket: nesting deep enough to exhaust the stack
(``RecursionError``), and strings PostgreSQL cannot store — the NUL character
and lone UTF-16 surrogates (``"\\ud800"`` is valid JSON but not valid text).
:func:`loads` refuses them at the edge, with a code and a message in the
user's language, as :class:`MalformedJson` (a ``ValueError``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _

# Deeper than any request or frame of ours; far below the interpreter's stack.
MAX_DEPTH = 32
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class MalformedJson(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _refuse_constant(name: str) -> Any:
    raise MalformedJson("invalid_json", _("NaN and Infinity are not JSON."))


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed value, or :class:`MalformedJson` with ``invalid_json``, ``too_deep`` or
    ``invalid_characters``."""
    try:
        value = json.loads(data, parse_constant=_refuse_constant)
    except RecursionError:
        raise MalformedJson("too_deep", _("The JSON is nested too deeply.")) from None
    except MalformedJson:
        raise
    except (ValueError, UnicodeDecodeError):
        raise MalformedJson("invalid_json", _("The body is not valid JSON.")) from None
    check(value, max_depth=max_depth)
    return value


def check(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than ``max_depth`` and strings PostgreSQL cannot store."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                raise MalformedJson(
                    "invalid_characters",
                    _("The text holds characters that cannot be stored (NUL or a lone surrogate)."),
                )
        elif isinstance(item, dict | list):
            if depth > max_depth:
                raise MalformedJson("too_deep", _("The JSON is nested too deeply."))
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def storable(text: str) -> str:
    """``text`` with what PostgreSQL cannot store replaced (for text we must keep, not refuse)."""
    return UNSTORABLE.sub("\ufffd", text)
