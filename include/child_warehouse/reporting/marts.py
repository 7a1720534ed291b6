"""Readable per-province tables from the marts, for the demo and for analysts at a terminal."""

from __future__ import annotations

import csv
from pathlib import Path

from child_warehouse.db.connection import transaction

SPECIAL_CIRCUMSTANCES_SQL = """
select province_code, province_name_vi, period, children_total, hcdb_children, hcdb_supported,
       hcdb_supported_share, children_linked, linked_share
from marts.special_circumstances_by_province
order by period desc, province_code
"""


def _percent(value) -> str:
    return "   –  " if value is None else f"{100 * float(value):5.1f}%"


def special_circumstances_table(url: str | None = None) -> str:
    """The mart as a fixed-width table with a national total line."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(SPECIAL_CIRCUMSTANCES_SQL)
        rows = cur.fetchall()
    header = (
        f"{'Tỉnh / Province':<28} {'Kỳ':<8} {'Trẻ em':>8} {'HCĐB':>6} {'Được TG':>8} "
        f"{'% TG':>7} {'Liên kết':>9} {'% LK':>7}"
    )
    lines = [header, "-" * len(header)]
    for code, name, period, children, hcdb, supported, share, linked, linked_share in rows:
        lines.append(
            f"{code + ' ' + name:<28.28} {period:<8} {children:>8} {hcdb:>6} {supported:>8} "
            f"{_percent(share):>7} {linked:>9} {_percent(linked_share):>7}"
        )
    totals = [sum(r[i] for r in rows) for i in (3, 4, 5, 7)]
    if rows:
        lines.append("-" * len(header))
        hcdb_share = totals[2] / totals[1] if totals[1] else None
        link_share = totals[3] / totals[0] if totals[0] else None
        lines.append(
            f"{'Toàn quốc / National':<28} {'':<8} {totals[0]:>8} {totals[1]:>6} {totals[2]:>8} "
            f"{_percent(hcdb_share):>7} {totals[3]:>9} {_percent(link_share):>7}"
        )
    return "\n".join(lines)


def last_run_table(url: str | None = None) -> str:
    """What happened in the latest run, per province."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute("""select province_code, files_found, files_loaded, files_rejected, rows_loaded,
                              rows_with_errors, records_linked, records_unlinked, outcome, run_id
                       from ops.province_runs
                       where run_id = (select run_id from ops.province_runs order by finished_at desc limit 1)
                       order by province_code""")
        rows = cur.fetchall()
    if not rows:
        return "No run recorded yet."
    lines = [
        f"Run {rows[0][-1]}",
        f"{'Tỉnh':<5} {'Tệp':>4} {'Nhận':>5} {'Từ chối':>8} {'Dòng':>7} {'Lỗi':>5} {'LK':>6} "
        f"{'Chưa LK':>8}  Kết quả",
    ]
    for row in rows:
        lines.append(
            f"{row[0]:<5} {row[1]:>4} {row[2]:>5} {row[3]:>8} {row[4]:>7} {row[5]:>5} {row[6]:>6} "
            f"{row[7]:>8}  {row[8]}"
        )
    return "\n".join(lines)


TRUTH_COLUMNS = ("children_total", "hcdb_children", "hcdb_supported", "at_risk_children", "at_risk_supported")


def compare_with_truth(truth_csv: Path, url: str | None = None) -> list[str]:
    """Differences between the mart and the generator's expected_by_province.csv; empty when equal."""
    with truth_csv.open(encoding="utf-8") as handle:
        expected = {(r["province_code"], r["period"]): r for r in csv.DictReader(handle)}
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            f"select province_code, period, {', '.join(TRUTH_COLUMNS)} "
            "from marts.special_circumstances_by_province"
        )
        actual = {(r[0], r[1]): r[2:] for r in cur.fetchall()}
    problems = [f"{key[0]} {key[1]}: missing from the mart" for key in expected.keys() - actual.keys()]
    problems += [
        f"{key[0]} {key[1]}: in the mart but not in the truth" for key in actual.keys() - expected.keys()
    ]
    for key in expected.keys() & actual.keys():
        for column, value in zip(TRUTH_COLUMNS, actual[key], strict=True):
            if value != int(expected[key][column]):
                problems.append(f"{key[0]} {key[1]} {column}: mart {value}, truth {expected[key][column]}")
    return sorted(problems)
