"""The province's aggregate indicator report: close to its own records, rarely identical."""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from child_warehouse.synth.bulk_cases import Cases, is_abuse
from child_warehouse.synth.legacy import ENCODERS
from child_warehouse.synth.reference import _read, reference_dir
from child_warehouse.synth.render import Rows, is_child
from child_warehouse.synth.writers import TITLES, Layout
from child_warehouse.synth.xlsx import write_xlsx

LONG_HEADER = ["indicator_code", "disaggregation", "value", "note"]
WIDE_HEADER = ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Tổng số", "Nam", "Nữ", "Ghi chú"]
RATES = {
    "hcdb_share": ("hcdb_children", "children_total"),
    "hcdb_supported_rate": ("hcdb_supported", "hcdb_children"),
}


@lru_cache(maxsize=1)
def indicator_names() -> dict[str, tuple[str, str]]:
    """Name and unit of each indicator, for the wide XLSX form provinces fill in."""
    return {
        row["indicator_code"]: (row["name_vi"], row["unit"])
        for row in _read(reference_dir() / "indicators.csv")
    }


def _counts(rows: Rows, cases: Cases, period_end_year: int) -> dict[str, dict[str, int]]:
    cols, true = rows.columns, is_child(rows)
    male = true & (cols["sex"] == "male")
    years = np.array([period_end_year - int(v[:4]) for v in cols["date_of_birth"].tolist()])
    hcdb = cols["special_circumstances"] != ""

    def by_sex(mask: np.ndarray) -> dict[str, int]:
        return {
            "total": int((mask & true).sum()),
            "sex:male": int((mask & male).sum()),
            "sex:female": int((mask & true & ~male).sum()),
        }

    everyone = np.ones(len(rows), dtype=bool)
    ages = {
        f"age:{a}-{b}": int((true & (years >= a) & (years <= b)).sum())
        for a, b in ((0, 5), (6, 10), (11, 15))
    }
    abuse = is_abuse(cases.case_type)
    return {
        "children_total": by_sex(everyone) | ages,
        "hcdb_children": by_sex(hcdb),
        "hcdb_supported": by_sex(hcdb & cols["supported"]),
        "at_risk_children": by_sex(cols["at_risk"]),
        "at_risk_supported": by_sex(cols["at_risk"] & cols["supported"]),
        "children_poor_households": by_sex(cols["household_poverty"] == "ngheo"),
        "children_near_poor_households": by_sex(cols["household_poverty"] == "can_ngheo"),
        "abuse_cases": {"total": int(abuse.sum())},
        "drowning_deaths": {
            "total": int(((cases.case_type == "duoi_nuoc") & (cases.outcome == "tu_vong")).sum())
        },
        "injury_cases": {"total": int((~abuse).sum())},
    }


def report_values(
    rng: np.random.Generator, rows: Rows, cases: Cases, year: int
) -> dict[str, dict[str, float]]:
    """Stocks drift by up to 2 % from the records (late entries, other sources); flows are as counted."""
    counts = _counts(rows, cases, year)
    drift = {
        code: 1 + rng.uniform(-0.02, 0.02) if not code.endswith(("cases", "deaths")) else 1.0
        for code in counts
    }
    values: dict[str, dict[str, float]] = {
        code: {key: round(value * drift[code]) for key, value in parts.items()}
        for code, parts in counts.items()
    }
    for code, (numerator, denominator) in RATES.items():
        base = values[denominator]["total"]
        values[code] = {"total": round(100 * values[numerator]["total"] / base, 1) if base else 0.0}
    return values


def vietnamese_number(value: float) -> str:
    """'1.234' for counts, '98,6' for rates (domain.md 7.4)."""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _long_rows(values: dict[str, dict[str, float]], vietnamese: bool) -> list[list[str]]:
    show = vietnamese_number if vietnamese else str
    return [[code, key, show(value), ""] for code, parts in values.items() for key, value in parts.items()]


def write_report(
    path: Path,
    values: dict[str, dict[str, float]],
    layout: Layout,
    meta: dict[str, str],
    *,
    names: dict[str, tuple[str, str]],
    vietnamese: bool,
) -> Path:
    target = path.parent / f"{path.name}.{layout.fmt}"  # not with_suffix: "child_records.v2" has a dot
    if layout.fmt == "json":
        items = [dict(zip(LONG_HEADER, row, strict=True)) for row in _long_rows(values, vietnamese)]
        target.write_text(json.dumps({**meta, "values": items}, ensure_ascii=False), encoding="utf-8")
    elif layout.fmt == "xlsx":
        show = vietnamese_number if vietnamese else (lambda v: v)
        wide = [
            [
                code,
                *names.get(code, ("", "")),
                show(p["total"]),
                show(p.get("sex:male", "")) if "sex:male" in p else "",
                show(p["sex:female"]) if "sex:female" in p else "",
                "",
            ]
            for code, p in values.items()
        ]
        titles = [TITLES["indicator_report"], f"Tỉnh: {meta['province_code']} - Kỳ báo cáo: {meta['period']}"]
        write_xlsx(target, "BaoCao", titles, WIDE_HEADER, wide)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=layout.dialect.delimiter, lineterminator="\r\n")
        writer.writerows([LONG_HEADER, *_long_rows(values, vietnamese)])
        target.write_bytes(ENCODERS[layout.encoding](buffer.getvalue()))
    return target
