"""Readable per-province tables from the marts, for the demo and for analysts at a terminal."""

from __future__ import annotations

import csv
from pathlib import Path

from psycopg2 import sql

from child_warehouse.contract.reading import Reading
from child_warehouse.db.connection import transaction

SUPPRESSED = "·"  # a small cell (1-4) the mart withholds; "–" is a figure that does not exist

SPECIAL_CIRCUMSTANCES_SQL = """
select province_code, province_name_vi, period, children_total, hcdb_children, hcdb_supported,
       hcdb_supported_share, children_linked, linked_share
from marts.special_circumstances_by_province
order by period desc, province_code
"""

# The cumulative report periods (H1, 9M, year) that have a provincial report, on today's provinces.
SCORECARD_SQL = """
select province_code, province_name_vi, period, children_total_records, children_total_reported,
       hcdb_children_reported, hcdb_supported_share_records, hcdb_supported_share_reported,
       abuse_victims_reported, abuse_victims_intervened_share_reported, drowning_deaths_reported,
       child_friendly_communes_share_reported, suppressed_columns
from marts.provincial_scorecard_today
where period_type in ('half_year', 'nine_months', 'year') and indicators_reported > 0
order by province_code, period_end_date
"""

COMPLIANCE_SQL = """
select submission_type, period, compliance_status, count(*),
       string_agg(province_code || coalesce(' (' || latest_rejection_code || ')', ''), ' '
                  order by province_code)
           filter (where compliance_status <> 'on_time')
from marts.submission_compliance
where is_last_period
group by submission_type, period, compliance_status
order by submission_type, compliance_status
"""


# The newer sources, one line per province: its latest assessment year, the hotline's latest month and
# the latest programme period; the cross-checks that warn.
DEPARTMENT_SQL = """
with assessed as (
    select distinct on (province_code) province_code, province_name_vi, period, communes_recognised,
           communes_total, recognised_share
    from marts.commune_assessment_by_province order by province_code, period_end_date desc
), hotline as (
    select distinct on (province_code) province_code, period, calls, calls_per_100k_children, interventions
    from marts.hotline_calls_by_province order by province_code, period_end_date desc
), swimming as (
    select distinct on (province_code) province_code, period, swimming_children_reached, drowning_deaths
    from marts.swimming_reach_and_drowning order by province_code, period_end_date desc
), warned as (
    select province_code, count(*) as warnings from marts.source_cross_checks
    where status = 'warning' group by province_code
)
select coalesce(a.province_code, h.province_code), a.province_name_vi, a.period, a.communes_recognised,
       a.communes_total, a.recognised_share, h.period, h.calls, h.calls_per_100k_children, h.interventions,
       s.period, s.swimming_children_reached, coalesce(w.warnings, 0)
from assessed as a
full join hotline as h on h.province_code = a.province_code
left join swimming as s on s.province_code = coalesce(a.province_code, h.province_code)
left join warned as w on w.province_code = coalesce(a.province_code, h.province_code)
order by 1
"""


def _percent(value) -> str:
    return "   –  " if value is None else f"{100 * float(value):5.1f}%"


def _count(value, suppressed: bool = True) -> str:
    if value is None:
        return SUPPRESSED if suppressed else "–"
    return f"{int(value):,}".replace(",", ".")


def _rows(query: str | sql.Composable, url: str | None) -> list[tuple]:
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def special_circumstances_table(url: str | None = None) -> str:
    """The mart as a fixed-width table; suppressed cells show as ·, so no national total is printed."""
    rows = _rows(SPECIAL_CIRCUMSTANCES_SQL, url)
    header = (
        f"{'Tỉnh / Province':<28} {'Kỳ':<8} {'Trẻ em':>8} {'HCĐB':>6} {'Được TG':>8} "
        f"{'% TG':>7} {'Liên kết':>9} {'% LK':>7}"
    )
    lines = [header, "-" * len(header)]
    for code, name, period, children, hcdb, supported, share, linked, linked_share in rows:
        lines.append(
            f"{code + ' ' + name:<28.28} {period:<8} {_count(children):>8} {_count(hcdb):>6} "
            f"{_count(supported):>8} {_percent(share):>7} {_count(linked):>9} {_percent(linked_share):>7}"
        )
    lines.append(f"{SUPPRESSED} = fewer than 5 children (suppressed) / ít hơn 5 trẻ (ẩn)")
    return "\n".join(lines)


def scorecard_table(url: str | None = None) -> str:
    """The provincial scorecard on today's 34 provinces: records (HS) beside the province's report (BC)."""
    rows = _rows(SCORECARD_SQL, url)
    header = (
        f"{'Tỉnh / Province':<26} {'Kỳ':<8} {'Trẻ em HS':>9} {'Trẻ em BC':>10} {'HCĐB BC':>8} "
        f"{'%TG HS':>7} {'%TG BC':>7} {'Bị XH':>6} {'%CT':>7} {'Đuối':>5} {'%Xã PH':>7}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        code, name, period, children, reported, hcdb, share, share_reported = row[:8]
        victims, intervened, drowned, friendly, withheld = row[8:]
        hidden = set(withheld)
        lines.append(
            f"{code + ' ' + name:<26.26} {period:<8} "
            f"{_count(children, 'children_total_records' in hidden):>9} "
            f"{_count(reported, 'children_total_reported' in hidden):>10} "
            f"{_count(hcdb, 'hcdb_children_reported' in hidden):>8} {_percent(share):>7} "
            f"{_percent(share_reported):>7} {_count(victims, 'abuse_victims_reported' in hidden):>6} "
            f"{_percent(intervened):>7} {_count(drowned, 'drowning_deaths_reported' in hidden):>5} "
            f"{_percent(friendly):>7}"
        )
    lines.append(
        "HS = from the individual records / tính từ hồ sơ; BC = the province's report / tỉnh báo cáo; "
        f"{SUPPRESSED} = suppressed (fewer than 5), – = none"
    )
    return "\n".join(lines)


def compliance_table(url: str | None = None) -> str:
    """The last period of each submission type: how many provinces on time, late, rejected, missing."""
    lines = ["Nộp báo cáo kỳ gần nhất / Submissions for the last period"]
    for kind, period, status, count, provinces in _rows(COMPLIANCE_SQL, url):
        who = f": {provinces}" if provinces else ""
        lines.append(f"  {kind:<20} {period:<8} {status:<12} {count:>3}{who}")
    return "\n".join(lines)


def department_table(url: str | None = None) -> str:
    """Child-friendly communes, the hotline 111 and swimming classes per province, and warnings."""
    rows = _rows(DEPARTMENT_SQL, url)
    header = (
        f"{'Tỉnh / Province':<24} {'Năm':<6} {'Xã PHTE':>11} {'%':>6}  {'Tháng':<8} {'Cuộc gọi 111':>12} "
        f"{'/100k TE':>10} {'Can thiệp':>9}  {'Kỳ':<7} {'Học bơi':>8} {'Lệch':>4}"
    )
    lines = [header, "-" * len(header)]
    for code, name, year, recognised, communes, share, month, calls, rate, helped, term, swim, warn in rows:
        communes_text = f"{_count(recognised, False)}/{_count(communes, False)}" if year else "–"
        per_100k = _count(None if rate is None else round(rate), suppressed=False)
        lines.append(
            f"{code + ' ' + (name or ('Không rõ tỉnh' if code == '00' else '')):<24.24} {year or '–':<6} "
            f"{communes_text:>11} {_percent(share):>6}  {month or '–':<8} {_count(calls, False):>12} "
            f"{per_100k:>10} {_count(helped):>9}  {term or '–':<7} "
            f"{_count(swim, False):>8} {warn:>4}"
        )
    lines.append(
        "Xã PHTE = communes recognised child-friendly / xã phù hợp với trẻ em; Học bơi = children reached "
        "by swimming classes; Lệch = cross-checks that warn (marts.source_cross_checks); "
        f"{SUPPRESSED} = suppressed"
    )
    return "\n".join(lines)


def marts_report(url: str | None = None) -> str:
    """What `make demo` prints: the special-circumstances mart, the scorecard, the newer sources and
    compliance."""
    tables = [
        special_circumstances_table(url),
        scorecard_table(url),
        department_table(url),
        compliance_table(url),
    ]
    return "\n\n".join(tables)


def last_run_table(url: str | None = None) -> str:
    """What happened in the latest run, per province: files, rows received and rows the warehouse
    took (accepted, current files, without excluded rows), and how each file was read."""
    rows = _rows(
        """select province_code, files_found, files_loaded, files_rejected, rows_received, rows_loaded,
                  rows_with_errors, records_linked, records_unlinked, outcome, run_id
           from ops.province_runs
           where run_id = (select run_id from ops.province_runs order by finished_at desc limit 1)
           order by province_code""",
        url,
    )
    if not rows:
        return "No run recorded yet."
    lines = [
        f"Run {rows[0][-1]}",
        f"{'Tỉnh':<5} {'Tệp':>4} {'Nhận':>5} {'Từ chối':>8} {'Dòng gửi':>9} {'Dòng nạp':>9} {'Lỗi':>5} "
        f"{'LK':>6} {'Chưa LK':>8}  Kết quả",
        f"{'Prov':<5} {'Files':>4} {'Acc.':>5} {'Refused':>8} {'Received':>9} {'Loaded':>9} {'Excl':>5} "
        f"{'Linked':>6} {'Unlinked':>8}  Outcome",
    ]
    for row in rows:
        lines.append(
            f"{row[0]:<5} {row[1]:>4} {row[2]:>5} {row[3]:>8} {row[4]:>9} {row[5]:>9} {row[6]:>5} "
            f"{row[7]:>6} {row[8]:>8}  {row[9]}"
        )
    lines += ["", "Tệp và cách đọc / Files and how they were read"]
    for name, status, encoding, delimiter, sheet, header_row, rows_in_file in _rows(
        sql.SQL(
            """select file_name, status, encoding, delimiter, sheet_name, header_row, rows_in_file
               from ledger.submissions where processed_run_id = {} order by file_name"""
        ).format(sql.Literal(rows[0][-1])),
        url,
    ):
        how = Reading(encoding, delimiter, sheet, header_row).describe()
        rows_shown = rows_in_file if rows_in_file is not None else "–"
        lines.append(f"  {name}: {status}, {rows_shown} rows; {how}")
    return "\n".join(lines)


TRUTH_COLUMNS = ("children_total", "hcdb_children", "hcdb_supported", "at_risk_children", "at_risk_supported")
# The counts before small-cell suppression (the analyst mart withholds 1-4), in the restricted layer.
UNSUPPRESSED_COUNTS = ("intermediate", "int_special_circumstances_by_province")


def compare_with_truth(truth_csv: Path, url: str | None = None) -> list[str]:
    """Differences between the mart's counts and the generator's expected_by_province.csv (none: equal)."""
    with truth_csv.open(encoding="utf-8") as handle:
        expected = {(r["province_code"], r["period"]): r for r in csv.DictReader(handle)}
    query = sql.SQL("select province_code, period, {} from {}").format(
        sql.SQL(", ").join(map(sql.Identifier, TRUTH_COLUMNS)), sql.Identifier(*UNSUPPRESSED_COUNTS)
    )
    rows = _rows(query, url)
    actual = {(r[0], r[1]): r[2:] for r in rows}
    problems = [f"{key[0]} {key[1]}: missing from the mart" for key in expected.keys() - actual.keys()]
    problems += [
        f"{key[0]} {key[1]}: in the mart but not in the truth" for key in actual.keys() - expected.keys()
    ]
    for key in expected.keys() & actual.keys():
        for column, value in zip(TRUTH_COLUMNS, actual[key], strict=True):
            if value != int(expected[key][column]):
                problems.append(f"{key[0]} {key[1]} {column}: mart {value}, truth {expected[key][column]}")
    return sorted(problems)
