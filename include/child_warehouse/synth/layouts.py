"""Chooses, per file, its format, encoding and the province's dialect, all from the seed."""

from __future__ import annotations

import random
import zlib

from child_warehouse.synth.dialects import SEX_STYLES, YES_NO_STYLES, Dialect
from child_warehouse.synth.faults import FaultRates
from child_warehouse.synth.writers import Layout

DEFAULT_FORMATS = {"csv": 0.7, "xlsx": 0.2, "json": 0.1}


def stream(seed: int, *parts: str) -> int:
    """A stable 32-bit stream number for numpy/random seeding, independent of scheduling."""
    return zlib.crc32(":".join([str(seed), *parts]).encode())


def province_dialect(seed: int, province: str) -> Dialect:
    rng = random.Random(stream(seed, "dialect", province))  # noqa: S311 - simulation, not security
    return Dialect(
        vietnamese_headers=rng.random() < 0.6,
        delimiter=rng.choice((",", ",", ";")),
        date_style=rng.choice(("dmy", "dmy", "dmy", "iso", "dmy_short")),
        sex_style=rng.choice(tuple(SEX_STYLES)),
        yes_no_style=rng.choice(tuple(YES_NO_STYLES)),
        circumstance_style=rng.choice(("letter", "letter", "letter_dd", "number")),
        ethnicity_style=rng.choice(("code", "code", "code", "name")),
    )


def choose_layout(
    seed: int, province: str, period: str, kind: str, *, rates: FaultRates, formats: dict[str, float]
) -> Layout:
    rng = random.Random(stream(seed, "layout", province, period, kind))  # noqa: S311
    fmt = rng.choices(list(formats), weights=list(formats.values()))[0]
    encoding = "utf-8"
    if fmt == "csv":
        roll = rng.random()
        legacy = [("tcvn3", rates.legacy_tcvn3), ("vni", rates.legacy_vni), ("cp1258", rates.legacy_cp1258)]
        for name, share in legacy:
            if roll < share:
                encoding = name
                break
            roll -= share
        else:
            encoding = "utf-8-sig" if rng.random() < 0.2 else "utf-8"
    return Layout(fmt, encoding, province_dialect(seed, province))
