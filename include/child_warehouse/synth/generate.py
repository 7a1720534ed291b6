"""Writes a seeded sample: register extract, provincial submissions and the ground truth behind them."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from child_warehouse.linkage.register import COLUMNS as EXTRACT_COLUMNS
from child_warehouse.synth import department
from child_warehouse.synth.cases import CASE_PERIOD, ProtectionCase, deaths, draw_cases
from child_warehouse.synth.children import ChildRecord, build_record
from child_warehouse.synth.dialects import YES_NO_STYLES, Dialect, assign_dialects, assign_encodings
from child_warehouse.synth.history import stamp_arrivals, write_history_reports
from child_warehouse.synth.legacy import ENCODERS
from child_warehouse.synth.people import PERIOD_END, Household, IdIssuer, Person, ethnicity, make_unrelated
from child_warehouse.synth.periods import parse_period
from child_warehouse.synth.reference import Reference, load_reference
from child_warehouse.synth.signoffs import write_signoffs
from child_warehouse.synth.submissions import (
    INDICATOR_COLUMNS,
    case_header,
    case_row,
    child_header,
    child_row,
    indicator_rows,
)

if TYPE_CHECKING:
    from _csv import Writer

CHILD_PERIOD = "2026-Q3"
REPORT_PERIOD = "2026-9M"
EXTRACT_DATE = date(2026, 10, 31)
REGISTER_COLUMNS = EXTRACT_COLUMNS  # the register adapter's contract, written exactly as it reads it
LINK_COLUMNS = ("province_code", "period", "record_id", "personal_id")
EXPECTED_COLUMNS = (
    "province_code", "period", "children_total", "hcdb_children", "hcdb_supported", "at_risk_children",
    "at_risk_supported", "records_with_personal_id",
)  # fmt: skip
EXPECTED_CASE_COLUMNS = (
    "province_code", "period", "cases_total", "abuse_cases", "drowning_cases", "intervened_cases",
)  # fmt: skip
ENCODING_COLUMNS = ("province_code", "period", "submission_type", "encoding")


@dataclass(frozen=True)
class SampleSummary:
    provinces: int
    children: int
    register_persons: int
    cases: int
    files: list[Path]

    def line(self) -> str:
        return (
            f"{self.provinces} provinces, {self.children} children, {self.register_persons} register "
            f"persons, {self.cases} protection cases, {len(self.files)} submission files"
        )


@dataclass(frozen=True)
class ProvinceBatch:
    province: str
    records: list[ChildRecord]
    cases: list[ProtectionCase]
    persons: list[Person]  # register rows: children, parents, carers and unrelated residents
    indicators: list[list[str]]
    assessments: list[department.Assessment]  # of the year before: the report's child-friendly communes


def make_rng(seed: int, stream: str) -> random.Random:
    # One stream per province, so adding or reordering provinces does not reshuffle the others.
    # Simulation only, never security: hence the S311 exemption.
    return random.Random(f"{seed}:{stream}")  # noqa: S311


def generate_province(seed: int, ref: Reference, ids: IdIssuer, province: str, count: int) -> ProvinceBatch:
    rng = make_rng(seed, province)
    records: list[ChildRecord] = []
    persons: list[Person] = []
    for serial in sorted(rng.sample(range(1_000_000), count)):
        record, people = build_record(rng, ref, ids, province, f"{province}-{serial:06d}")
        records.append(record)
        persons.extend(people)
    for _ in range(count):  # about one unrelated resident per child keeps the register ~4x the records
        home = Household(province, rng.choice(ref.communes[province]), ethnicity(rng, ref))
        persons.append(make_unrelated(rng, ref, ids, home))
    cases = draw_cases(rng, province, records)
    died = deaths(cases)
    persons = [replace(p, date_of_death=died[p.personal_id]) if p.personal_id in died else p for p in persons]
    rng.shuffle(persons)  # linkage must not lean on a child sitting next to its parents
    year_end = parse_period(department.ASSESSMENT_PERIOD).end
    assessments = department.draw_assessments(make_rng(seed, f"{province}:assessment"), province, year_end)
    recognised = sum(assessment.recognised for assessment in assessments)
    indicators = indicator_rows(rng, records, len(ref.communes[province]), child_friendly=recognised)
    return ProvinceBatch(province, records, cases, persons, indicators, assessments)


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """A CSV in `encoding`: utf-8, utf-8-sig, or a legacy one (tcvn3, vni, cp1258) as old software writes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ENCODERS[encoding](buffer.getvalue()))
    return path


def write_submissions(
    landing_root: Path, batch: ProvinceBatch, dialect: Dialect, encoding: str, ref: Reference
) -> list[Path]:
    folder = landing_root / batch.province
    children = (child_row(record, dialect, ref) for record in batch.records)
    cases = (case_row(case, dialect) for case in batch.cases)
    files = [
        (CHILD_PERIOD, "child_records.csv", child_header(dialect), children),
        (CASE_PERIOD, "protection_cases.csv", case_header(dialect), cases),
        (REPORT_PERIOD, "indicator_report.csv", INDICATOR_COLUMNS, batch.indicators),
    ]
    return [
        write_csv(folder / period / name, header, rows, dialect.delimiter, encoding)
        for period, name, header, rows in files
    ]


def register_row(person: Person) -> list[str]:
    death = person.date_of_death.isoformat() if person.date_of_death else ""
    return [
        person.personal_id, person.full_name, person.date_of_birth.isoformat(), person.sex,
        person.ethnicity_code, person.birth_province_code, person.commune_code, person.mother_id,
        person.father_id, death, EXTRACT_DATE.isoformat(),
    ]  # fmt: skip


def expected_row(batch: ProvinceBatch) -> list[str | int]:
    profiles = [record.profile for record in batch.records]
    return [
        batch.province,
        CHILD_PERIOD,
        len(profiles),
        sum(bool(p.groups) for p in profiles),
        sum(bool(p.groups) and p.supported for p in profiles),
        sum(p.at_risk for p in profiles),
        sum(p.at_risk and p.supported for p in profiles),
        sum(record.report_personal_id for record in batch.records),
    ]


def expected_case_row(batch: ProvinceBatch) -> list[str | int]:
    cases = batch.cases
    return [
        batch.province,
        CASE_PERIOD,
        len(cases),
        sum(case.is_abuse for case in cases),
        sum(case.case_type == "duoi_nuoc" for case in cases),
        sum(case.intervention_status == "da_can_thiep" for case in cases),
    ]


class _Sinks:
    """The files that grow province by province: register extract and ground truth."""

    def __init__(self, stack: ExitStack, register_dir: Path, truth_dir: Path) -> None:
        self.register = self._open(stack, register_dir / "persons.csv", REGISTER_COLUMNS)
        self.links = self._open(stack, truth_dir / "child_links.csv", LINK_COLUMNS)
        self.expected = self._open(stack, truth_dir / "expected_by_province.csv", EXPECTED_COLUMNS)
        self.cases = self._open(stack, truth_dir / "expected_cases.csv", EXPECTED_CASE_COLUMNS)
        self.encodings = self._open(stack, truth_dir / "file_encodings.csv", ENCODING_COLUMNS)
        self.assessments = self._open(
            stack, truth_dir / "expected_assessments.csv", department.ASSESSMENT_TRUTH
        )
        self.programmes = self._open(stack, truth_dir / "expected_programmes.csv", department.PROGRAMME_TRUTH)

    @staticmethod
    def _open(stack: ExitStack, path: Path, header: Sequence[str]) -> Writer:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = stack.enter_context(path.open("w", encoding="utf-8", newline=""))
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        return writer

    def write(self, batch: ProvinceBatch, files: Sequence[Path], encoding: str) -> None:
        self.register.writerows(register_row(person) for person in batch.persons)
        self.links.writerows(
            [batch.province, CHILD_PERIOD, record.record_id, record.child.personal_id]
            for record in batch.records
        )
        self.expected.writerow(expected_row(batch))
        self.cases.writerow(expected_case_row(batch))
        self.encodings.writerows([batch.province, path.parent.name, path.stem, encoding] for path in files)


def write_department_files(
    seed: int, landing_root: Path, batch: ProvinceBatch, *, dialect: Dialect, encoding: str, sinks: _Sinks
) -> list[Path]:
    """The province's commune assessment of the year and programme activities of the half year, in its
    dialect and encoding, and their truth. A stream of their own: the other files' bytes do not move."""
    rng = make_rng(seed, f"{batch.province}:programme")
    folder, delimiter = landing_root / batch.province, dialect.delimiter
    year_end = parse_period(department.ASSESSMENT_PERIOD).end
    assessments = batch.assessments
    # recognised is a required column: a file writing yes as x and no as empty would leave it empty
    yes_no = YES_NO_STYLES["vi" if dialect.yes_no_style == "x" else dialect.yes_no_style]
    communes = [code for code, _ in department.commune_types(year_end).get(batch.province, ())]
    programme, programme_truth = department.draw_programme(
        rng, batch.province, communes, vietnamese_numbers=dialect.vietnamese_headers
    )
    sinks.assessments.writerow(
        [
            batch.province,
            department.ASSESSMENT_PERIOD,
            len(assessments),
            sum(a.recognised for a in assessments),
        ]
    )
    sinks.programmes.writerows(programme_truth)
    files = [
        (
            department.ASSESSMENT_PERIOD,
            "commune_assessment.csv",
            department.headers(department.ASSESSMENT_HEADERS, dialect.vietnamese_headers),
            department.assessment_rows(assessments, yes_no, year_end.year),
        ),
        (
            department.PROGRAMME_PERIOD,
            "programme_activities.csv",
            department.headers(department.PROGRAMME_HEADERS, dialect.vietnamese_headers),
            programme,
        ),
    ]
    written = [
        write_csv(folder / period / name, header, rows, delimiter, encoding)
        for period, name, header, rows in files
    ]
    sinks.encodings.writerows([batch.province, path.parent.name, path.stem, encoding] for path in written)
    return written


def write_hotline(seed: int, landing_root: Path, truth_dir: Path, cases_by_province: dict[str, int]) -> Path:
    """The hotline 111's month in the `national` folder (UTF-8, Vietnamese headers) and its truth."""
    rows, truth = department.draw_hotline(make_rng(seed, "hotline"), cases_by_province)
    department.write_truth(truth_dir / "expected_hotline.csv", department.HOTLINE_TRUTH, truth)
    header = department.headers(department.HOTLINE_HEADERS, vietnamese=True)
    return write_csv(
        landing_root / "national" / department.HOTLINE_PERIOD / "hotline_calls.csv", header, rows
    )


def _check_layout(landing_root: Path, register_dir: Path, truth_dir: Path) -> None:
    # Anything under the landing root would be ingested as a submission, and the truth would leak.
    landing = landing_root.resolve()
    for name, folder in (("register", register_dir), ("truth", truth_dir)):
        if folder.resolve().is_relative_to(landing):
            raise ValueError(f"the {name} folder {folder} must not be inside the landing root {landing_root}")


def _chosen(ref: Reference, provinces: Sequence[str] | None) -> tuple[str, ...]:
    if provinces is None:
        return ref.provinces
    unknown = sorted(set(provinces) - set(ref.provinces))
    if unknown:
        raise ValueError(f"not provinces after the July 2025 reform: {', '.join(unknown)}")
    return tuple(sorted(set(provinces)))


def generate_sample(
    landing_root: Path,
    register_dir: Path,
    truth_dir: Path,
    *,
    seed: int = 2025,
    children_per_province: int = 30,
    history: bool = False,
    provinces: Sequence[str] | None = None,
) -> SampleSummary:
    """Write register, submissions for the post-reform provinces (all 34, or `provinces`), and truth.

    Each province sends child records (2026-Q3), protection cases (2026-M10), its 9M indicator report,
    its 2025-Y commune assessment and its 2026-H1 programme activities; the hotline 111 sends 2026-M10
    from the `national` folder, covering the chosen provinces and unknown callers.

    Same seed, same bytes; a province's files, dialect and encoding are the same whichever other
    provinces are chosen (its people's personal IDs are not: the issuer counts across provinces).
    With ``history``, also the 2022 annual indicator report of each pre-reform province merged into a
    chosen one (all 63 for all 34). Every file's modification time is its arrival against the
    reporting calendar (truth/expected_arrivals.csv); truth/file_encodings.csv says how each was written.
    Most province-period folders also get the province's sign-off, approval.json (truth/signoffs.csv);
    it is not among the returned files, which are submissions only.
    """
    if children_per_province < 0:
        raise ValueError("children_per_province must not be negative")
    landing_root, register_dir, truth_dir = Path(landing_root), Path(register_dir), Path(truth_dir)
    _check_layout(landing_root, register_dir, truth_dir)
    ref = load_reference(PERIOD_END)
    chosen = _chosen(ref, provinces)
    dialects = assign_dialects(make_rng(seed, "dialects"), ref.provinces)
    encodings = assign_encodings(make_rng(seed, "encodings"), ref.provinces)
    ids = IdIssuer()
    files: list[Path] = []
    children = persons = cases = 0
    cases_in_hotline_month: dict[str, int] = {}
    with ExitStack() as stack:
        sinks = _Sinks(stack, register_dir, truth_dir)
        for province in chosen:
            batch = generate_province(seed, ref, ids, province, children_per_province)
            written = write_submissions(landing_root, batch, dialects[province], encodings[province], ref)
            sinks.write(batch, written, encodings[province])
            files.extend(written)
            files.extend(
                write_department_files(
                    seed,
                    landing_root,
                    batch,
                    dialect=dialects[province],
                    encoding=encodings[province],
                    sinks=sinks,
                )
            )
            cases_in_hotline_month[province] = (
                len(batch.cases) if CASE_PERIOD == department.HOTLINE_PERIOD else 0
            )
            children, persons = children + len(batch.records), persons + len(batch.persons)
            cases += len(batch.cases)
    if history:
        predecessors = sorted({old for code in chosen for old in ref.constituents.get(code, (code,))})
        files.extend(write_history_reports(seed, landing_root, predecessors, truth_dir))
    hotline = write_hotline(seed, landing_root, truth_dir, cases_in_hotline_month)
    stamp_arrivals(seed, landing_root, [*files, hotline], truth_dir)
    write_signoffs(seed, landing_root, files, truth_dir)  # provinces sign off; the hotline operator does not
    files.append(hotline)
    return SampleSummary(len(chosen), children, persons, cases, files)
