"""Reporting periods (2026-M03, 2026-Q1, 2026-H1, 2026-9M, 2026-Y): their days and deadlines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

REFORM_DATE = date(2025, 7, 1)
_PATTERN = re.compile(r"^(\d{4})-(M(0[1-9]|1[0-2])|Q([1-4])|H1|9M|Y)$")


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    @property
    def pre_reform(self) -> bool:
        """Submitted under the 63 old provinces and their communes: the period ended before July 2025."""
        return self.end < REFORM_DATE

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def deadline(self) -> date:
        """Contract section 6: cases 10 days after a month, everything else 15 days after the period."""
        return self.end + timedelta(days=10 if self.months == 1 else 15)


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_period(label: str) -> Period:
    match = _PATTERN.match(label)
    if not match:
        raise ValueError(f"{label!r} is not a period (YYYY-Mmm, YYYY-Qn, YYYY-H1, YYYY-9M, YYYY-Y)")
    year, kind = int(match.group(1)), match.group(2)
    if match.group(3):
        first = last = int(match.group(3))
    elif match.group(4):
        last = int(match.group(4)) * 3
        first = last - 2
    else:
        first, last = 1, {"H1": 6, "9M": 9, "Y": 12}[kind]
    return Period(label, date(year, first, 1), _month_end(year, last))
