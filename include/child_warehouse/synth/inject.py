"""Injects row-level faults into a file's clean rows and records each one for the ground truth."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from child_warehouse.synth import faults as f
from child_warehouse.synth.faults import FaultRates
from child_warehouse.synth.render import Rows, is_child


@dataclass(frozen=True)
class Fault:
    index: int  # data row, 0-based, in the file's order
    column: str
    fault: str
    original: str
    written: str


def _pick(rng: np.random.Generator, count: int, rates: list[float]) -> np.ndarray:
    """One draw per row split into exclusive bands: value k means fault k, -1 means none."""
    roll = rng.random(count)
    bounds = np.cumsum(rates)
    choice = np.searchsorted(bounds, roll, side="right")
    return np.where(choice < len(rates), choice, -1)


def _apply(
    column: np.ndarray,
    index: np.ndarray,
    what: tuple[str, str],
    damage: Callable[[str], str],
    log: list[Fault],
) -> None:
    name, fault = what
    for i in index.tolist():
        before = column[i]
        after = damage(before)
        if after != before:
            column[i] = after
            log.append(Fault(i, name, fault, before, after))


def _id_faults(
    rng: np.random.Generator, prng: random.Random, rows: Rows, rates: FaultRates, log: list[Fault]
) -> None:
    ids = rows.columns["personal_id"]
    band = _pick(rng, len(rows), [rates.missing_id, rates.id_typo, rates.id_transposition])
    _apply(ids, np.flatnonzero(band == 0), ("personal_id", "missing_id"), lambda _: "", log)
    _apply(ids, np.flatnonzero(band == 1), ("personal_id", "id_typo"), lambda v: f.id_typo(prng, v), log)
    _apply(
        ids,
        np.flatnonzero(band == 2),
        ("personal_id", "id_transposition"),
        lambda v: f.id_transposition(prng, v),
        log,
    )


def _name_faults(
    rng: np.random.Generator,
    prng: random.Random,
    rows: Rows,
    rates: FaultRates,
    log: list[Fault],
    *,
    nfd: bool,
) -> None:
    names = rows.columns["full_name"]
    bands = [
        rates.no_diacritics,
        rates.nfd_text if nfd else 0.0,
        rates.old_tone_placement,
        rates.name_typo,
        rates.swapped_name_order,
    ]
    band = _pick(rng, len(rows), bands)
    _apply(names, np.flatnonzero(band == 0), ("full_name", "no_diacritics"), f.strip_diacritics, log)
    _apply(names, np.flatnonzero(band == 1), ("full_name", "nfd_text"), f.to_nfd, log)
    _apply(names, np.flatnonzero(band == 2), ("full_name", "old_tone_placement"), f.flip_tone_placement, log)
    _apply(names, np.flatnonzero(band == 3), ("full_name", "name_typo"), lambda v: f.typo(prng, v), log)
    _apply(names, np.flatnonzero(band == 4), ("full_name", "swapped_name_order"), f.swap_name_order, log)


def _swap_iso(value: str) -> str:
    day, month = int(value[8:10]), int(value[5:7])
    return value if day > 12 or day == month else f"{value[:5]}{value[8:10]}-{value[5:7]}"


def _other_faults(rng: np.random.Generator, rows: Rows, rates: FaultRates, log: list[Fault]) -> None:
    count = len(rows)
    dates = rows.columns["date_of_birth"]
    swappable = np.array([int(v[8:10]) <= 12 and v[8:10] != v[5:7] for v in dates.tolist()], dtype=bool)
    chosen = np.flatnonzero(swappable & (rng.random(count) < rates.day_month_swapped))
    _apply(dates, chosen, ("date_of_birth", "day_month_swapped"), _swap_iso, log)
    flip = {"male": "female", "female": "male"}
    _apply(
        rows.columns["sex"],
        np.flatnonzero(rng.random(count) < rates.wrong_sex),
        ("sex", "wrong_sex"),
        flip.get,
        log,
    )
    unknown = np.flatnonzero(rng.random(count) < rates.unknown_commune)
    codes = iter(rng.integers(90000, 100000, len(unknown)).tolist())  # no commune code starts with 9
    _apply(
        rows.columns["commune_code"],
        unknown,
        ("commune_code", "unknown_commune"),
        lambda _: f"{next(codes)}",
        log,
    )


def _linkage_faults(
    rng: np.random.Generator, prng: random.Random, rows: Rows, rates: FaultRates, log: list[Fault]
) -> None:
    """What makes a child record hard to find in the register without its ID (child records only):
    dates misread, a name typo together with a date error, the child in another commune of the
    province than the register says, the parent's name left blank or misspelt."""
    count, columns = len(rows), rows.columns
    dates, names = columns["date_of_birth"], columns["full_name"]
    # One fault per cell, so faults.csv's `written` is what the file holds.
    damaged = {(fault.index, fault.column) for fault in log}
    fresh = np.array(
        [(i, "date_of_birth") not in damaged and (i, "full_name") not in damaged for i in range(count)],
        dtype=bool,
    )
    band = np.where(fresh, _pick(rng, count, [rates.wrong_birth_date, rates.typo_and_date]), -1)
    shift = lambda v: f.shift_date(prng, v)  # noqa: E731
    _apply(dates, np.flatnonzero(band == 0), ("date_of_birth", "wrong_birth_date"), shift, log)
    both = np.flatnonzero(band == 1)
    _apply(names, both, ("full_name", "typo_and_date"), lambda v: f.typo(prng, v), log)
    _apply(dates, both, ("date_of_birth", "typo_and_date"), shift, log)
    communes = columns["commune_code"]
    sound = ~np.array([(i, "commune_code") in damaged for i in range(count)], dtype=bool)
    moved = np.flatnonzero((rng.random(count) < rates.moved_commune) & sound)
    pool = communes[sound]
    others = pool[rng.integers(0, len(pool), len(moved))] if len(pool) else communes[moved]
    _apply(
        communes,
        moved,
        ("commune_code", "moved_commune"),
        dict(zip(communes[moved], others, strict=True)).get,
        log,
    )
    carers = columns["caregiver_name"]
    named = carers != ""
    blank = np.flatnonzero(named & (rng.random(count) < rates.caregiver_missing))
    _apply(carers, blank, ("caregiver_name", "caregiver_missing"), lambda _: "", log)
    named = carers != ""
    misspelt = np.flatnonzero(named & (rng.random(count) < rates.caregiver_misspelt))
    _apply(
        carers,
        misspelt,
        ("caregiver_name", "caregiver_misspelt"),
        lambda v: f.typo(prng, v) if prng.random() < 0.5 else f.strip_diacritics(v),
        log,
    )


def _blank_faults(
    rng: np.random.Generator, rows: Rows, rates: FaultRates, log: list[Fault], columns: Sequence[str]
) -> None:
    """One of `columns` left empty (or only looking so: faults.BLANK_CELLS), one a row, in rows about a
    real child or case (an over-16, moved or duplicated record keeps the cell its own fault names) and
    never in a cell already damaged."""
    count = len(rows)
    real = is_child(rows) | (rows.kind == "case")
    chosen = np.flatnonzero(real & (rng.random(count) < rates.required_cell_empty))
    which = rng.integers(0, len(columns), len(chosen))
    written = rng.integers(0, len(f.BLANK_CELLS), len(chosen))  # drawn last: the cells chosen stay
    damaged = {(fault.index, fault.column) for fault in log}
    for index, column, form in zip(chosen.tolist(), which.tolist(), written.tolist(), strict=True):
        name = columns[column]
        if (index, name) not in damaged:
            blank = f.BLANK_CELLS[form]
            _apply(
                rows.columns[name],
                np.array([index]),
                (name, "required_cell_empty"),
                lambda _, b=blank: b,
                log,
            )


def add_duplicates(rng: np.random.Generator, rows: Rows, rate: float, province: str) -> Rows:
    """Children entered twice, under a second record ID, as when two officers each register a child."""
    chosen = np.flatnonzero((rng.random(len(rows)) < rate) & (rows.kind == "child"))
    copies = rows.take(chosen)
    copies.columns["record_id"] = np.array(
        [f"{province}-D{i:06d}" for i in range(1, len(chosen) + 1)], dtype=object
    )
    copies.kind = np.full(len(chosen), "duplicate_in_province", dtype=object)
    return copies


def structural_faults(rows: Rows) -> list[Fault]:
    """Rows that should not be in the file at all: over-16s, moved children, duplicates."""
    found = []
    for index, kind in enumerate(rows.kind.tolist()):
        if kind.startswith("stranger"):
            found.append(Fault(index, "personal_id", kind, "", ""))
        elif kind in ("turned_16", "moved_duplicate", "duplicate_in_province"):
            column = "date_of_birth" if kind == "turned_16" else "record_id"
            value = rows.columns[column][index]
            found.append(Fault(index, column, kind, value, value))
    return found


def inject(
    rng: np.random.Generator, rows: Rows, rates: FaultRates, *, nfd: bool, required: Sequence[str] = ()
) -> list[Fault]:
    """Damage ``rows`` in place; return every fault, structural ones first. `required`: the columns a
    blank may hit (`required_cell_empty`)."""
    prng = random.Random(int(rng.integers(2**32)))  # noqa: S311 - simulation, not security
    log = structural_faults(rows)
    _id_faults(rng, prng, rows, rates, log)
    _name_faults(rng, prng, rows, rates, log, nfd=nfd)
    _other_faults(rng, rows, rates, log)
    if "caregiver_name" in rows.columns:
        _linkage_faults(rng, prng, rows, rates, log)
    # Its own stream, so that the draws above and the file's after it are the same with it or without.
    if required:
        _blank_faults(rng.spawn(1)[0], rows, rates, log, required)
    return log


def malformed(rng: np.random.Generator, count: int, rate: float) -> np.ndarray:
    return np.flatnonzero(rng.random(count) < rate)
