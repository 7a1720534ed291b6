"""Writes one province-period's three submissions (and resubmissions) with their ground truth."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from child_warehouse.contract.columns import required_columns
from child_warehouse.synth.bulk_cases import Cases, is_abuse
from child_warehouse.synth.geography import Geography
from child_warehouse.synth.inject import Fault, inject, malformed
from child_warehouse.synth.layouts import choose_layout, stream
from child_warehouse.synth.periods import Period
from child_warehouse.synth.province import Province
from child_warehouse.synth.province_files import Job, Parts, Result, _submitted, file_rows
from child_warehouse.synth.render import Rows, case_rows, is_child
from child_warehouse.synth.report import indicator_names, report_values, write_report
from child_warehouse.synth.writers import Layout, write_records

REVERTIBLE = (
    "missing_id",
    "id_typo",
    "id_transposition",
    "no_diacritics",
    "name_typo",
    "wrong_sex",
    "required_cell_empty",
)


@dataclass(frozen=True)
class Context:
    job: Job
    prov: Province
    geo: Geography
    period: Period
    target: str  # province code the files are filed under
    parts: Parts
    result: Result

    @property
    def folder(self) -> Path:
        return self.job.landing / self.target / self.period.label

    def meta(self) -> dict[str, str]:
        return {"province_code": self.target, "period": self.period.label}


def _log_faults(ctx: Context, path: Path, layout: Layout, rows: Rows, log: list[Fault]) -> None:
    name = path.relative_to(ctx.job.landing).as_posix()
    first = layout.first_row()
    ids = rows.columns.get("case_id", rows.columns["record_id"])
    ctx.parts.writers["faults"].writerows(
        [
            name,
            fault.index + first,
            fault.column,
            fault.fault,
            ids[fault.index],
            fault.original,
            fault.written,
        ]
        for fault in log
    )
    ctx.result.faults.update(fault.fault for fault in log)


def _submission(
    ctx: Context,
    path: Path,
    layout: Layout,
    kind: str,
    *,
    version: int,
    rows: int,
    when: datetime,
    late: bool,
) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))
    name = path.relative_to(ctx.job.landing).as_posix()
    ctx.parts.writers["submissions"].writerow(
        [
            name,
            ctx.target,
            ctx.period.label,
            kind,
            version,
            layout.fmt,
            layout.encoding,
            int(late),
            when.isoformat(),
            rows,
        ]
    )
    ctx.result.files += 1
    ctx.result.rows_by_type[kind] += rows


def _revert_half(rng: np.random.Generator, rows: Rows, log: list[Fault]) -> tuple[Rows, list[Fault]]:
    """A corrected resubmission: about half of the fixable mistakes put right, the rest kept."""
    fixed = rows.take(np.arange(len(rows)))
    kept = []
    for fault in log:
        if fault.fault in REVERTIBLE and rng.random() < 0.5:
            fixed.columns[fault.column][fault.index] = fault.original
        else:
            kept.append(fault)
    return fixed, kept


def _filled(rows: Rows, log: list[Fault]) -> Rows:
    """The rows as the province's software holds them: a required cell the file left blank keeps its
    value there (the indicator report and the truth are computed from the software, not the file)."""
    blanks = [fault for fault in log if fault.fault == "required_cell_empty"]
    if not blanks:
        return rows
    filled = rows.take(np.arange(len(rows)))
    for fault in blanks:
        filled.columns[fault.column][fault.index] = fault.original
    return filled


def write_kind(ctx: Context, kind: str, rows: Rows) -> Rows:
    """Faults, file, optional corrected v2; returns the rows of the version that counts (the last), with
    the cells it left blank filled in (`_filled`)."""
    job = ctx.job
    rng = np.random.default_rng(stream(job.seed, "faults", ctx.target, ctx.period.label, kind))
    layout = choose_layout(job.seed, ctx.target, ctx.period.label, kind, rates=job.rates, formats=job.formats)
    # a blank never hits the record's or the case's ID: they name the row in faults.csv
    required = [name for name in required_columns(kind) if name not in ("record_id", "case_id")]
    log = inject(rng, rows, job.rates, nfd=layout.encoding.startswith("utf"), required=required)
    if kind == "child_records":  # right in the file, wrong in the register: linkage's fault, truth's row
        log += [
            Fault(i, "commune_code", "register_elsewhere", value, value)
            for i, (pid, value) in enumerate(zip(rows.person_id, rows.columns["commune_code"], strict=True))
            if pid in ctx.prov.register_elsewhere
        ]
    bad = (
        malformed(rng, len(rows), job.rates.malformed_row) if layout.fmt == "csv" else np.array([], dtype=int)
    )
    log += [Fault(int(i), "", "malformed_row", "", "") for i in bad.tolist()]
    ethnic = dict(zip(ctx.geo.ethnic_codes, ctx.geo.ethnic_names, strict=True))
    path = write_records(
        ctx.folder / kind, kind, rows, layout, meta=ctx.meta(), ethnic_names=ethnic, malformed=bad
    )
    when, late = _submitted(rng, ctx.period, job.rates.late_file)
    _log_faults(ctx, path, layout, rows, log)
    _submission(ctx, path, layout, kind, version=1, rows=len(rows), when=when, late=late)
    if rng.random() >= job.rates.resubmission:
        return _filled(rows, log)
    fixed, kept = _revert_half(rng, rows, log)
    second = write_records(
        ctx.folder / f"{kind}.v2", kind, fixed, layout, meta=ctx.meta(), ethnic_names=ethnic, malformed=bad
    )
    _log_faults(ctx, second, layout, fixed, kept)
    later = when + timedelta(days=int(rng.integers(2, 20)))
    _submission(
        ctx,
        second,
        layout,
        kind,
        version=2,
        rows=len(fixed),
        when=later,
        late=later.date() > ctx.period.deadline,
    )
    return _filled(fixed, kept)


def _expected_children(rows: Rows) -> list[int]:
    """What the marts should say: true children only (no over-16s, moved or duplicated records)."""
    true, cols = is_child(rows), rows.columns
    hcdb = true & (cols["special_circumstances"] != "")
    at_risk = true & cols["at_risk"]
    counts = [true, hcdb, hcdb & cols["supported"], at_risk, at_risk & cols["supported"]]
    return [int(mask.sum()) for mask in [*counts, true & (cols["personal_id"] != "")]]


def _write_children(ctx: Context) -> Rows:
    rows = write_kind(ctx, "child_records", file_rows(ctx.job, ctx.prov, ctx.geo, ctx.period, ctx.target))
    writers, label = ctx.parts.writers, ctx.period.label
    pairs = zip(rows.columns["record_id"], rows.person_id, strict=True)
    writers["child_links"].writerows([ctx.target, label, rid, pid] for rid, pid in pairs)
    writers["expected_by_province"].writerow([ctx.target, label, *_expected_children(rows)])
    ctx.result.child_rows += len(rows)
    return rows


def _write_cases(ctx: Context, cases: Cases) -> Cases:
    mine = _cases_here(ctx, cases)
    managed = _managed_index(ctx.prov).tolist()
    record_of = dict(zip(managed, ctx.prov.record_id[ctx.prov.managed].tolist(), strict=True))
    table = write_kind(ctx, "protection_cases", case_rows(ctx.prov, ctx.geo, ctx.period, mine, record_of))
    pairs = zip(table.columns["case_id"], table.person_id, strict=True)
    ctx.parts.writers["case_links"].writerows([ctx.target, ctx.period.label, cid, pid] for cid, pid in pairs)
    abuse, drowning = int(is_abuse(mine.case_type).sum()), int((mine.case_type == "duoi_nuoc").sum())
    intervened = int((mine.status == "da_can_thiep").sum())
    ctx.parts.writers["expected_cases"].writerow(
        [ctx.target, ctx.period.label, len(mine), abuse, drowning, intervened]
    )
    return mine


def write_period(ctx: Context, cases: Cases) -> None:
    """The province-period's child records, protection cases and indicator report."""
    ctx.folder.mkdir(parents=True, exist_ok=True)
    rows = _write_children(ctx)
    mine = _write_cases(ctx, cases)
    _write_report(ctx, rows, mine)


def _managed_index(prov: Province) -> np.ndarray:
    return np.flatnonzero(prov.managed)


def _cases_here(ctx: Context, cases: Cases) -> Cases:
    if not ctx.period.pre_reform:
        return cases
    olds = np.array(
        [ctx.geo.old_of_commune[c] for c in ctx.prov.people.commune[cases.person].tolist()], dtype=object
    )
    return cases.take(np.flatnonzero(olds == ctx.target))


def _write_report(ctx: Context, rows: Rows, cases: Cases) -> None:
    job = ctx.job
    rng = np.random.default_rng(stream(job.seed, "report", ctx.target, ctx.period.label))
    layout = choose_layout(
        job.seed, ctx.target, ctx.period.label, "indicator_report", rates=job.rates, formats=job.formats
    )
    values = report_values(rng, rows, cases, ctx.period.end.year)
    vietnamese = bool(rng.random() < job.rates.vietnamese_numbers)
    names = indicator_names()
    path = write_report(
        ctx.folder / "indicator_report", values, layout, ctx.meta(), names=names, vietnamese=vietnamese
    )
    if vietnamese:
        ctx.parts.writers["faults"].writerow(
            [path.relative_to(job.landing).as_posix(), "", "value", "vietnamese_numbers", "", "", ""]
        )
        ctx.result.faults["vietnamese_numbers"] += 1
    when, late = _submitted(rng, ctx.period, job.rates.late_file)
    rows_written = sum(len(v) for v in values.values())
    _submission(ctx, path, layout, "indicator_report", version=1, rows=rows_written, when=when, late=late)
