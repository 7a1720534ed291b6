"""Pure fault functions, periods and the fault-rate defaults."""

from __future__ import annotations

import random
from dataclasses import fields
from datetime import date

import pytest

from child_warehouse.synth import faults as f
from child_warehouse.synth.periods import parse_period


def test_defaults_are_realistic_and_none_is_all_zero() -> None:
    assert f.FaultRates().missing_id == 0.5
    assert all(getattr(f.FaultRates.none(), field.name) == 0 for field in fields(f.FaultRates))


def test_text_faults() -> None:
    assert f.strip_diacritics("Đặng Thị Hòa") == "Dang Thi Hoa"
    assert f.to_nfd("Nguyễn") != "Nguyễn"
    assert len(f.to_nfd("Nguyễn")) == 8
    assert f.flip_tone_placement("Nguyễn Thị Hòa") == "Nguyễn Thị Hoà"
    assert f.flip_tone_placement("Lê Thuỷ") == "Lê Thủy"
    assert f.flip_tone_placement("Hoàng Văn Toàn") == "Hoàng Văn Toàn"  # closed syllables keep the tone
    assert f.swap_name_order("Nguyễn Thị Lan") == "Lan Nguyễn Thị"


def test_one_keystroke_typos() -> None:
    rng = random.Random(3)  # noqa: S311 - test data
    for _ in range(200):
        typed = f.typo(rng, "Nguyễn Văn An")
        assert typed != "Nguyễn Văn An"
        assert abs(len(typed) - len("Nguyễn Văn An")) <= 1


def test_id_faults_change_one_digit_or_swap_two() -> None:
    rng = random.Random(5)  # noqa: S311 - test data
    for _ in range(200):
        typo = f.id_typo(rng, "001215537859")
        assert sum(a != b for a, b in zip(typo, "001215537859", strict=True)) == 1
        swapped = f.id_transposition(rng, "001215537859")
        assert sorted(swapped) == sorted("001215537859")
        assert swapped != "001215537859"


def test_day_month_swap_only_where_possible() -> None:
    assert f.can_swap_day_month(date(2015, 3, 7))
    assert f.swap_day_month(date(2015, 3, 7)) == date(2015, 7, 3)
    assert not f.can_swap_day_month(date(2015, 3, 13))
    assert not f.can_swap_day_month(date(2015, 4, 4))


@pytest.mark.parametrize(
    ("label", "start", "end", "pre"),
    [
        ("2025-M06", date(2025, 6, 1), date(2025, 6, 30), True),
        ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30), False),
        ("2024-H1", date(2024, 1, 1), date(2024, 6, 30), True),
        ("2026-9M", date(2026, 1, 1), date(2026, 9, 30), False),
        ("2025-Y", date(2025, 1, 1), date(2025, 12, 31), False),
    ],
)
def test_periods(label: str, start: date, end: date, pre: bool) -> None:
    period = parse_period(label)
    assert (period.start, period.end, period.pre_reform) == (start, end, pre)


def test_bad_period_is_refused() -> None:
    with pytest.raises(ValueError, match="not a period"):
        parse_period("2026-M13")
