"""The column catalogue (contract §3): each submission type's canonical columns, which are required,
and the headers provinces write for them (columns.yaml)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

SUBMISSION_TYPES = (
    "child_records",
    "protection_cases",
    "indicator_report",
    "commune_assessment",
    "hotline_calls",
    "programme_activities",
)
# The folder the national hotline 111 files land in instead of a province's (contract §3.5), and
# the only type it sends.
NATIONAL = "national"
NATIONAL_TYPES = ("hotline_calls",)
# Types that are only sent for one kind of period (contract §3.4–3.5): the pattern the period matches.
PERIOD_KINDS = {
    "commune_assessment": ("Y", "cả năm (YYYY-Y)", "a whole year (YYYY-Y)"),
    "hotline_calls": ("M", "tháng (YYYY-Mmm)", "a month (YYYY-Mmm)"),
}


@cache
def _catalogue() -> dict:
    text = (resources.files("child_warehouse.contract") / "columns.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def canonical_columns(submission_type: str) -> list[str]:
    return list(_catalogue()[submission_type]["columns"])


def required_columns(submission_type: str) -> list[str]:
    return list(_catalogue()[submission_type]["required"])


def allows_nil_return(submission_type: str) -> bool:
    """Whether a file with a header and no rows is a valid report of nothing (e.g. no cases)."""
    return bool(_catalogue()[submission_type].get("nil_return_allowed", False))


def yes_no_columns(submission_type: str) -> list[str]:
    """The type's yes/no columns, whose empty cells the x/empty convention may read as "no"."""
    return list(_catalogue()[submission_type].get("yes_no", []))


def header_spellings(submission_type: str, section: str = "columns") -> dict[str, list[str]]:
    """Each canonical column and the headers provinces write for it (`wide_form`: the XLSX form's)."""
    spellings = _catalogue()[submission_type].get(section, {})
    return {canonical: list(headers) for canonical, headers in spellings.items()}
