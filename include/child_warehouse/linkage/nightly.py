"""The night's national linkage step: what deterministic linkage left, scored once for all provinces.

Blocking is national (a child may be registered anywhere), so one DuckDB session over every
province's unlinked records reads the register's features once, instead of once per province.
Pseudonyms follow, since they depend on the final link.
"""

from __future__ import annotations

from child_warehouse.linkage.deterministic import submissions_to_link
from child_warehouse.linkage.probabilistic import link_probabilistically
from child_warehouse.linkage.pseudonyms import assign_pseudonyms


def link_unlinked_records(run_id: str, url: str | None = None) -> dict[str, int]:
    submissions = submissions_to_link(run_id, url=url)
    candidates = link_probabilistically(submissions, url)
    pseudonyms = assign_pseudonyms(submissions, url)
    return {"submissions": len(submissions), "records_with_candidate": candidates, "pseudonyms": pseudonyms}
