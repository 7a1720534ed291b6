"""Turn rule results into row issues and a verdict: accepted, accepted with warnings, rejected."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from child_warehouse.contract import reasons
from child_warehouse.contract.reasons import Reason
from child_warehouse.dq import RowIssue
from child_warehouse.ledger import Status

EXAMPLES_KEPT = 5


@dataclass(frozen=True)
class RuleOutcome:
    """One expectation's result over one submission."""

    rule: str
    column: str | None
    severity: str
    rows_checked: int
    failing: list[dict]  # {"source_row": n, <column>: value}
    reason_vi: str
    reason_en: str


def row_issues(
    submission_id: int, outcome: RuleOutcome, headers: dict[str, str] | None = None
) -> list[RowIssue]:
    """One issue per failing row, its reason naming the row, the column (as the file's header names
    it, from `headers`: contract column to header as sent) and the value."""
    vi, en = reasons.column_labels(outcome.column, (headers or {}).get(outcome.column or ""))
    issues = []
    for item in outcome.failing:
        row = item.get("source_row")
        value = item.get(outcome.column) if outcome.column else None
        text = "" if value is None else str(value)
        # Query rules may return more fields (the related indicator, say) for the reason to name.
        details = {k: "" if v is None else v for k, v in item.items() if k not in ("value", outcome.column)}
        issues.append(
            RowIssue(
                submission_id,
                row,
                outcome.column,
                value,
                outcome.rule,
                outcome.severity,
                f"Dòng {row}, cột {vi}: " + outcome.reason_vi.format(value=text, **details),
                f"Row {row}, column {en}: " + outcome.reason_en.format(value=text, **details),
            )
        )
    return issues


def decide(
    rows_total: int,
    rows_with_errors: int,
    rows_with_warnings: int,
    threshold: float,
    *,
    nil_return_allowed: bool = False,
    unknown_columns: Sequence[str] = (),
) -> tuple[Status, Reason | None]:
    """The verdict; a rejection carries the share that caused it, an acceptance with warnings what
    they are (rows left out, rows flagged, columns not read)."""
    if rows_total == 0 and nil_return_allowed:
        return Status.ACCEPTED, None
    if rows_total == 0:
        return Status.REJECTED, Reason(
            "header_only", "Tệp không có dòng dữ liệu nào.", "The file has no data rows."
        )
    share = rows_with_errors / rows_total
    if share > threshold:
        return Status.REJECTED, Reason(
            "too_many_row_errors",
            f"{rows_with_errors}/{rows_total} dòng ({share:.0%}) có lỗi, vượt ngưỡng {threshold:.0%}; "
            "toàn bộ tệp bị từ chối, hãy sửa và gửi lại.",
            f"{rows_with_errors} of {rows_total} rows ({share:.0%}) have errors, above the {threshold:.0%} "
            "threshold; the whole file is rejected: correct it and resubmit.",
        )
    if rows_with_errors or rows_with_warnings or unknown_columns:
        return Status.ACCEPTED_WITH_WARNINGS, reasons.accepted_with_warnings(
            rows_total, rows_with_errors, rows_with_warnings, list(unknown_columns)
        )
    return Status.ACCEPTED, None
