"""The department's other sources in a national run, with faults: commune assessments for every
year-long period, programme activities for every H1 and year, the hotline 111 for every month.

Each file is CSV in an encoding drawn as the provinces' other files are; every fault is a row of
truth/faults.csv (file, row as the officer sees it, column, fault, key, original, written) and every
file a row of truth/submissions.csv, so `make validation-eval` reports what validation caught. The
faults stand for what offices really send: a total typed instead of summed, a commune recognised by
decision although a criterion scored 0 (or the reverse), a score above its maximum, a commune of the
neighbouring province, last year's commune code after the 2025 merger of communes, interventions
counted as calls, a caller's province mistyped, a negative count, an activity named in words, a
required cell left empty.
What it never produces: a file of another layout than the contract's (titles, merged headers), a
hotline month that is late or resubmitted, or history long enough for the outlier rules to fire.
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from child_warehouse.contract.columns import required_columns
from child_warehouse.synth import department
from child_warehouse.synth.faults import BLANK_CELLS, FaultRates
from child_warehouse.synth.legacy import ENCODERS
from child_warehouse.synth.periods import REFORM_DATE, Period, parse_period
from child_warehouse.synth.reference import reference_dir

NATIONAL = "national"
ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1258", "tcvn3", "vni")


class Change(NamedTuple):
    """One fault as truth/faults.csv records it (after the file and row)."""

    column: str
    fault: str
    key: str
    original: str
    written: str


@dataclass
class Written:
    """What the department's files add to the run's truth."""

    faults: list[list[str]]
    submissions: list[list[str]]
    counts: Counter[str]


def _rng(seed: int, *parts: str) -> random.Random:
    return random.Random(":".join([str(seed), "department", *parts]))  # noqa: S311 (simulation)


def _provinces(on) -> list[str]:
    with (reference_dir() / "provinces.csv").open(encoding="utf-8", newline="") as handle:
        return sorted(
            {
                row["province_code"]
                for row in csv.DictReader(handle)
                if row["valid_from"] <= on.isoformat() <= (row["valid_to"] or "9999-12-31")
            }
        )


def _retired_predecessors() -> dict[str, list[str]]:
    """Each commune of today and the pre-reform codes merged into it that are no longer in use."""
    current: set[str] = set()
    with (reference_dir() / "communes.csv").open(encoding="utf-8", newline="") as handle:
        current = {row["commune_code"] for row in csv.DictReader(handle) if not row["valid_to"]}
    found: dict[str, list[str]] = {}
    with (reference_dir() / "commune_crosswalk_2025.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["old_commune_code"] not in current and row["is_partial"] == "false":
                found.setdefault(row["new_commune_code"], []).append(row["old_commune_code"])
    return found


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ENCODERS[encoding](buffer.getvalue()))


class _Run:
    def __init__(self, seed: int, landing: Path, rates: FaultRates) -> None:
        self.seed, self.landing, self.rates = seed, landing, rates
        self.written = Written([], [], Counter())
        self.retired = _retired_predecessors()

    def fault(self, path: Path, row: int, change: Change) -> None:
        relative = path.relative_to(self.landing).as_posix()
        self.written.faults.append([relative, str(row), *change])
        self.written.counts[change.fault] += 1

    def blanks(
        self, path: Path, header: Sequence[str], rows: list[list[str]], key: Callable[[list[str]], str]
    ) -> None:
        """Required cells left empty, one a row, in rows no other fault took; from a stream of their
        own, so that every other draw of the run is the same with this fault or without it."""
        relative, kind = path.relative_to(self.landing).as_posix(), path.name.split(".")[0]
        rng = _rng(self.seed, "blanks", relative)
        forms = _rng(self.seed, "blank forms", relative)  # how each is written: the cells chosen stay
        taken = {int(fault[1]) for fault in self.written.faults if fault[0] == relative}
        for index, row in enumerate(rows):
            number = index + 2
            if rng.random() >= self.rates.required_cell_empty or number in taken:
                continue
            column = rng.choice(required_columns(kind))
            at = header.index(column)
            original, named = row[at], key(row)
            if original:
                row[at] = blank = forms.choice(BLANK_CELLS)
                self.fault(path, number, Change(column, "required_cell_empty", named, original, blank))

    def submitted(self, path: Path, period: Period, province: str, *, encoding: str, rows: int) -> None:
        relative, kind = path.relative_to(self.landing).as_posix(), path.name.split(".")[0]
        submitted_at = f"{period.deadline.isoformat()}T09:00:00+07:00"
        self.written.submissions.append(
            [relative, province, period.label, kind, "1", "csv", encoding, "0", submitted_at, str(rows)]
        )

    def assessment(self, province: str, period: Period, others: list[str]) -> None:
        rng = _rng(self.seed, "assessment", province, period.label)
        assessments = department.draw_assessments(rng, province, period.end)
        if not assessments:
            return
        encoding = rng.choice(ENCODINGS)
        path = self.landing / province / period.label / "commune_assessment.csv"
        rows = department.assessment_rows(assessments, ("Có", "Không"), period.end.year)
        columns = list(department.ASSESSMENT_HEADERS)
        after_reform = period.end >= REFORM_DATE
        rates = self.rates
        total_off = rates.assessment_total_not_sum
        flipped = total_off + rates.recognition_against_rules
        over = flipped + rates.score_out_of_range
        for index, row in enumerate(rows):
            number, commune = index + 2, row[0]
            draw = rng.random()
            if draw < total_off:
                original = row[15]
                row[15] = str(int(original) + rng.choice((-1, 1)) * rng.randint(1, 40))
                self.fault(path, number, Change("total_score", "total_not_sum", commune, original, row[15]))
            elif draw < flipped:
                original = row[16]
                row[16] = "Không" if original == "Có" else "Có"
                self.fault(
                    path,
                    number,
                    Change("recognised", "recognition_against_rules", commune, original, row[16]),
                )
            elif draw < over:
                at = rng.randrange(13)
                original = row[2 + at]
                row[2 + at] = str(rng.randint(101, 150))
                row[15] = str(int(row[15]) - int(original) + int(row[2 + at]))  # the total stays the sum
                self.fault(
                    path,
                    number,
                    Change(columns[2 + at], "score_out_of_range", commune, original, row[2 + at]),
                )
            elif rng.random() < rates.commune_outside_province and others:
                row[0] = rng.choice(others)
                self.fault(
                    path, number, Change("commune_code", "commune_outside_province", commune, commune, row[0])
                )
            elif after_reform and rng.random() < rates.pre_reform_commune and commune in self.retired:
                row[0] = rng.choice(self.retired[commune])
                self.fault(
                    path, number, Change("commune_code", "pre_reform_commune", commune, commune, row[0])
                )
        self.blanks(path, columns, rows, lambda row: row[0])
        _write(path, columns, rows, encoding)
        self.submitted(path, period, province, encoding=encoding, rows=len(rows))

    def programme(self, province: str, period: Period) -> None:
        rng = _rng(self.seed, "programme", province, period.label)
        communes = [code for code, _ in department.commune_types(period.end).get(province, ())]
        rows, _ = department.draw_programme(rng, province, communes, vietnamese_numbers=rng.random() < 0.6)
        encoding = rng.choice(ENCODINGS)
        path = self.landing / province / period.label / "programme_activities.csv"
        for index, row in enumerate(rows):
            number, key = index + 2, row[0]
            draw = rng.random()
            if draw < self.rates.negative_count:
                original, row[3] = row[3], f"-{row[3]}"
                self.fault(path, number, Change("children_reached", "negative_count", key, original, row[3]))
            elif draw < self.rates.negative_count + self.rates.activity_in_words:
                original, row[0] = (
                    row[0],
                    {"lop_hoc_boi": "Lớp học bơi", "tap_huan": "Tập huấn"}.get(row[0], "Hoạt động khác"),
                )
                self.fault(path, number, Change("activity_type", "activity_in_words", key, original, row[0]))
        self.blanks(path, list(department.PROGRAMME_HEADERS), rows, lambda row: row[0])
        _write(path, list(department.PROGRAMME_HEADERS), rows, encoding)
        self.submitted(path, period, province, encoding=encoding, rows=len(rows))

    def hotline(self, period: Period, provinces: list[str]) -> None:
        rng = _rng(self.seed, "hotline", period.label)
        rows, _ = department.draw_hotline(rng, dict.fromkeys(provinces, 3))
        path = self.landing / NATIONAL / period.label / "hotline_calls.csv"
        for index, row in enumerate(rows):
            number, key = index + 2, f"{row[0]}/{row[1]}/{row[2]}"
            draw = rng.random()
            if draw < self.rates.interventions_above_calls:
                original, row[6] = row[6], str(int(row[3]) + rng.randint(1, 50))
                self.fault(
                    path, number, Change("interventions", "interventions_above_calls", key, original, row[6])
                )
            elif draw < self.rates.interventions_above_calls + self.rates.caller_province_mistyped:
                original, row[0] = row[0], rng.choice(("99", "64", "63"))
                self.fault(
                    path, number, Change("province_code", "caller_province_mistyped", key, original, row[0])
                )
        self.blanks(path, list(department.HOTLINE_HEADERS), rows, lambda row: f"{row[0]}/{row[1]}/{row[2]}")
        _write(path, list(department.HOTLINE_HEADERS.values()), rows, "utf-8")
        self.submitted(path, period, NATIONAL, encoding="utf-8", rows=len(rows))


def write_department_sources(seed: int, landing: Path, labels: Sequence[str], rates: FaultRates) -> Written:
    """Every period's department files under `landing`, and their faults and submissions for the truth."""
    run = _Run(seed, landing, rates)
    for label in sorted(set(labels)):
        period = parse_period(label)
        provinces = _provinces(period.end)
        communes = department.commune_types(period.end)
        if label.endswith("-Y"):
            for province in provinces:
                others = [
                    code
                    for other in provinces
                    if other != province
                    for code, _ in communes.get(other, ())[:3]
                ]
                run.assessment(province, period, others)
        if label.endswith(("-H1", "-Y")):
            for province in provinces:
                run.programme(province, period)
        if period.months == 1:
            run.hotline(period, provinces)
    return run.written
