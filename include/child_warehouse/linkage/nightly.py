"""The night's national linkage step: what deterministic linkage left, scored once for all provinces.

Blocking is national (a child may be registered anywhere), so one DuckDB session over every
province's unlinked records reads the register's features once, instead of once per province.
Pseudonyms follow, since they depend on the final link.
"""

from __future__ import annotations

import logging

from child_warehouse import ledger
from child_warehouse.db.connection import fetch_all, transaction
from child_warehouse.linkage.probabilistic import link_probabilistically
from child_warehouse.linkage.pseudonyms import assign_pseudonyms

log = logging.getLogger(__name__)


def link_unlinked_records(run_id: str | None, url: str | None = None) -> dict[str, int]:
    """Every file linked by ID whose probabilistic linkage is not done (this run's, or an earlier
    run's that died first); marked done only once its pseudonyms are written too."""
    with transaction(url) as conn:
        submissions = ledger.to_match(conn)
    candidates = link_probabilistically(submissions, url)
    pseudonyms = assign_pseudonyms(submissions, url)
    with transaction(url) as conn:
        ledger.record_matched(conn, submissions, run_id)
    return {"submissions": len(submissions), "records_with_candidate": candidates, "pseudonyms": pseudonyms}


_LINKS = """
select l.method, count(*)
from links.child_links as l join ledger.submissions as s using (submission_id)
where s.processed_run_id = %(run_id)s and (%(province)s::text is null or s.province_code = %(province)s)
group by l.method
"""

_REVIEW = """
select count(distinct (q.submission_id, q.source_row))
from links.review_queue as q join ledger.submissions as s using (submission_id)
where s.processed_run_id = %(run_id)s
"""


def log_summary(run_id: str, province: str | None = None, url: str | None = None) -> str:
    """Links of the run's records by method (for one province after linking by ID, or national)."""
    methods = dict(fetch_all(_LINKS, {"run_id": run_id, "province": province}, url))
    review = fetch_all(_REVIEW, {"run_id": run_id}, url)[0][0] if province is None else 0
    scope = f"by ID {province}" if province else "national"
    said = ", ".join(f"{n:,} {method}" for method, n in sorted(methods.items())) or "no records"
    line = f"Summary: linkage {scope}: {said}" + (
        f"; {review:,} record(s) sent to review" if province is None else ""
    )
    log.info("%s", line)
    return line
