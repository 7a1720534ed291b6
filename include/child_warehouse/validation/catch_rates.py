"""How many of the generator's injected faults validation caught, per fault type (faults.csv)."""

from __future__ import annotations

from pathlib import Path

from child_warehouse.db.connection import transaction

CATCH_SQL = """
with flagged as (
    select f.fault, f.file, f.row,
           bool_or(i.severity = 'error') as has_error,
           bool_or(i.severity = 'warning') as has_warning,
           string_agg(distinct i.rule, ', ') as rules
    from faults as f
    join ledger.submissions as s on s.file_name = f.file
    left join dq.row_issues as i on i.submission_id = s.submission_id and i.source_row = f.row
    group by f.fault, f.file, f.row
)
select fault, count(*) as injected,
       count(*) filter (where has_error) as errors,
       count(*) filter (where has_warning and not coalesce(has_error, false)) as warnings_only,
       (select string_agg(rule, ', ') from (select distinct unnest(string_to_array(x.rules, ', ')) as rule
        from flagged as x where x.fault = flagged.fault and x.rules is not null) as r) as rules
from flagged group by fault order by injected desc
"""


def catch_rates(faults_csv: Path, url: str | None = None) -> list[tuple]:
    """(fault, injected, rows with an error, rows with only a warning, rules that fired) per fault."""
    with transaction(url) as conn, conn.cursor() as cur, faults_csv.open(encoding="utf-8") as handle:
        cur.execute(
            "create temporary table faults (file text, row integer, column_name text, fault text, "
            "record_id text, original text, written text) on commit drop"
        )
        cur.copy_expert("copy faults from stdin with (format csv, header true)", handle)
        cur.execute(CATCH_SQL)
        return cur.fetchall()


def table(rows: list[tuple]) -> str:
    lines = [f"{'fault':<22} {'injected':>8} {'error':>7} {'warning':>8} {'caught':>7}  rules", "-" * 100]
    for fault, injected, errors, warnings, rules in rows:
        caught = (errors + warnings) / injected if injected else 0.0
        lines.append(
            f"{fault:<22} {injected:>8} {errors:>7} {warnings:>8} {100 * caught:>6.1f}%  {rules or '-'}"
        )
    return "\n".join(lines)
