"""The night's national linkage step: what deterministic linkage left, scored once for all provinces.

Blocking is national (a child may be registered anywhere), so one DuckDB session over every
province's unlinked records reads the register's features once, instead of once per province.
Pseudonyms follow, since they depend on the final link.
"""

from __future__ import annotations

import logging

from child_warehouse import ledger
from child_warehouse.db.connection import fetch_all, transaction
from child_warehouse.linkage.deterministic import refresh_link_statistics
from child_warehouse.linkage.probabilistic import link_probabilistically
from child_warehouse.linkage.pseudonyms import assign_pseudonyms

log = logging.getLogger(__name__)


def link_unlinked_records(run_id: str | None, url: str | None = None) -> dict[str, int]:
    """Every file linked by ID whose probabilistic linkage is not done (this run's, or an earlier
    run's that died first); marked done only once its pseudonyms are written too."""
    with transaction(url) as conn:
        submissions = ledger.to_match(conn)
    refresh_link_statistics(url)  # if links changed since (a night that died after linking by ID)
    candidates = link_probabilistically(submissions, url)
    pseudonyms = assign_pseudonyms(submissions, url)
    with transaction(url) as conn:
        ledger.record_matched(conn, submissions, run_id)
    refresh_link_statistics(url, linked_now=bool(submissions))
    return {"submissions": len(submissions), "records_with_candidate": candidates, "pseudonyms": pseudonyms}


_LINKS = """
select s.province_code, l.method, count(*)
from links.child_links as l join ledger.submissions as s using (submission_id)
where s.processed_run_id = %(run_id)s
group by s.province_code, l.method
order by 1, 2
"""

_REVIEW = """
select count(distinct (q.submission_id, q.source_row))
from links.review_queue as q join ledger.submissions as s using (submission_id)
where s.processed_run_id = %(run_id)s
"""


def _said(methods: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {method}" for method, n in sorted(methods.items())) or "no records"


def log_summary(run_id: str, url: str | None = None, *, by_id: bool = False) -> list[str]:
    """The run's records by link method: after linking by ID, one line per province; after the
    national step, one line for the country with the records sent to review."""
    by_province: dict[str, dict[str, int]] = {}
    for province, method, n in fetch_all(_LINKS, {"run_id": run_id}, url):
        by_province.setdefault(province, {})[method] = n
    if by_id:
        lines = [f"Summary: linkage by ID {p}: {_said(m)}" for p, m in sorted(by_province.items())]
    else:
        national: dict[str, int] = {}
        for methods in by_province.values():
            for method, n in methods.items():
                national[method] = national.get(method, 0) + n
        review = fetch_all(_REVIEW, {"run_id": run_id}, url)[0][0]
        lines = [f"Summary: linkage national: {_said(national)}; {review:,} record(s) sent to review"]
    for line in lines or ["Summary: linkage by ID: no records"]:
        log.info("%s", line)
    return lines
