"""One measurement: what was done, how long it took, on how many rows, with what peak memory."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.memory import MemorySampler, Peak


@dataclass
class Measurement:
    name: str
    seconds: float = 0.0
    rows: int = 0
    peak: Peak = field(default_factory=Peak)
    note: str = ""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def add(self, other: Measurement) -> None:
        """Accumulate a repeated step (one province after another) into this stage."""
        self.seconds += other.seconds
        self.rows += other.rows
        self.peak.merge(other.peak)


@contextmanager
def measured(sampler: MemorySampler, name: str, rows: int = 0, note: str = "") -> Iterator[Measurement]:
    """Time the block and take its memory peak; the caller may set `rows` inside it."""
    result = Measurement(name, rows=rows, note=note)
    with sampler.stage() as peak:
        started = time.perf_counter()
        try:
            yield result
        finally:
            result.seconds = time.perf_counter() - started
            result.peak = peak


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None
