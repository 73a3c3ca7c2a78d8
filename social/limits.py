"""What the platforms accept in one post: X's weighted 280, Messenger's 2,000 characters.

Longer staff messages are cut at word boundaries and sent in parts (an X
thread, consecutive Messenger messages), each part numbered "(1/3)".
"""

from __future__ import annotations

import re
from collections.abc import Callable

X_MAX_WEIGHT = 280
MESSENGER_MAX_CHARACTERS = 2000
# twitter-text v3: these code points weigh 1, every other 2; any URL weighs 23.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_X_URL_WEIGHT = 23
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def _char_weight(char: str) -> int:
    point = ord(char)
    return 1 if any(low <= point <= high for low, high in _X_LIGHT_RANGES) else 2


def x_weighted_length(text: str) -> int:
    """The length X counts against its 280 (Arabic and Latin weigh 1, CJK and emoji 2)."""
    total = 0
    position = 0
    for url in _URL.finditer(text):
        total += sum(_char_weight(c) for c in text[position : url.start()]) + _X_URL_WEIGHT
        position = url.end()
    return total + sum(_char_weight(c) for c in text[position:])


def split_text(text: str, *, limit: int, length: Callable[[str], int]) -> list[str]:
    """``text`` in parts of at most ``limit`` by ``length``, cut between words, numbered."""
    if length(text) <= limit:
        return [text]
    # Room for " (NN/NN)"; a message of more than 99 parts is not a reply.
    room = limit - length(" (99/99)")
    parts: list[str] = []
    current = ""
    for word in re.findall(r"\S+\s*", text):
        while length(word.rstrip()) > room:  # a word longer than a part: cut it
            head = word
            while length(head) > room:
                head = head[: max(len(head) * room // max(length(head), 1), 1)]
            if current:
                parts.append(current.rstrip())
                current = ""
            parts.append(head)
            word = word[len(head) :]
        if current and length((current + word).rstrip()) > room:
            parts.append(current.rstrip())
            current = ""
        current += word
    if current.strip():
        parts.append(current.rstrip())
    total = len(parts)
    return [f"{part} ({number}/{total})" for number, part in enumerate(parts, start=1)]


def x_post_parts(text: str) -> list[str]:
    return split_text(text, limit=X_MAX_WEIGHT, length=x_weighted_length)
