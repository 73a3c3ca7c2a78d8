"""Latency histograms that merge across processes, and delivery accounting.

Latencies are recorded in microseconds into HDR histograms, which are encoded
to text in each load-generator process and added up in the parent.  Every
message the load generator sends carries (stream, seq, intended send time), so
the receiving side can count what was lost, duplicated or delivered out of
order, beside how long it took.
"""

from __future__ import annotations

import time
from typing import Any

from hdrh.histogram import HdrHistogram

LOWEST_US = 1
HIGHEST_US = 120_000_000  # two minutes: anything slower is a failure anyway
SIGNIFICANT_DIGITS = 3


def new_histogram() -> HdrHistogram:
    return HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_DIGITS)


def now_ns() -> int:
    # CLOCK_MONOTONIC is shared by every process on the machine, so a time taken in
    # one load-generator process can be compared with one taken in another.
    return time.monotonic_ns()


class Latency:
    """An HDR histogram of latencies in microseconds that can travel between processes."""

    def __init__(self) -> None:
        self.histogram = new_histogram()

    def record_ns(self, elapsed_ns: int) -> None:
        self.histogram.record_value(min(max(elapsed_ns // 1000, LOWEST_US), HIGHEST_US))

    def encode(self) -> str:
        return self.histogram.encode().decode("ascii")

    def add_encoded(self, encoded: str) -> None:
        if encoded:
            self.histogram.add(HdrHistogram.decode(encoded.encode("ascii")))

    @property
    def count(self) -> int:
        return int(self.histogram.get_total_count())

    def percentile_ms(self, percentile: float) -> float | None:
        if self.count == 0:
            return None
        return round(self.histogram.get_value_at_percentile(percentile) / 1000.0, 3)

    def summary(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "p50_ms": self.percentile_ms(50),
            "p90_ms": self.percentile_ms(90),
            "p99_ms": self.percentile_ms(99),
            "p999_ms": self.percentile_ms(99.9),
            "max_ms": None if self.count == 0 else round(self.histogram.get_max_value() / 1000, 3),
        }


def merge_latencies(encoded: list[str]) -> Latency:
    merged = Latency()
    for item in encoded:
        merged.add_encoded(item)
    return merged


class Arrivals:
    """The receiving side's record: which (stream, seq) arrived, how often, in what order.

    A stream is one direction of one conversation in one step of a scenario
    (``<conversation>/c2a/3``); sequence numbers start at 1 and go up by one per
    message sent on it. The sending side counts what it sent per stream; the
    parent adds both up with :func:`tally`, since the two sides may live in
    different load-generator processes.
    """

    def __init__(self) -> None:
        self.seen: dict[str, set[int]] = {}
        self.highest: dict[str, int] = {}
        self.duplicated: dict[str, int] = {}
        self.out_of_order: dict[str, int] = {}

    def record(self, stream: str, seq: int) -> bool:
        """Note an arrival; True the first time this (stream, seq) arrives."""
        seen = self.seen.setdefault(stream, set())
        if seq in seen:
            self.duplicated[stream] = self.duplicated.get(stream, 0) + 1
            return False
        if seq < self.highest.get(stream, 0):
            self.out_of_order[stream] = self.out_of_order.get(stream, 0) + 1
        else:
            self.highest[stream] = seq
        seen.add(seq)
        return True

    def unique(self, stream: str) -> int:
        return len(self.seen.get(stream, ()))

    def report(self, streams: list[str]) -> dict[str, list[int]]:
        """``{stream: [unique, duplicated, out_of_order]}`` for the given streams."""
        return {
            stream: [
                self.unique(stream),
                self.duplicated.get(stream, 0),
                self.out_of_order.get(stream, 0),
            ]
            for stream in streams
            if stream in self.seen
        }


def tally(sent: dict[str, int], arrivals: dict[str, list[int]]) -> dict[str, int]:
    """Delivery counts of a step from what was sent and what the receivers reported."""
    received = lost = duplicated = out_of_order = unexpected = 0
    for stream, count in sent.items():
        unique, dup, ooo = arrivals.get(stream, [0, 0, 0])
        received += min(unique, count)
        lost += max(0, count - unique)
        unexpected += max(0, unique - count)
        duplicated += dup
        out_of_order += ooo
    return {
        "sent": sum(sent.values()),
        "received": received,
        "lost": lost,
        "duplicated": duplicated,
        "out_of_order": out_of_order,
        "unexpected": unexpected,
    }


def add_counts(items: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for item in items:
        for key, value in item.items():
            total[key] = total.get(key, 0) + value
    return total
