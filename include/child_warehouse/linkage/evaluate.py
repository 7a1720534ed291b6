"""Linkage accuracy against a truth file (record_id → personal_id): precision, recall, completeness."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from child_warehouse.db.connection import transaction

LINKS_SQL = """
select s.province_code, l.record_id, l.personal_id, l.method
from links.child_links as l join ledger.submissions as s using (submission_id)
where s.submission_type = 'child_records' and s.status in ('accepted', 'accepted_with_warnings')
"""


@dataclass(frozen=True)
class Accuracy:
    records: int
    linked: int
    correct: int
    review: int
    by_method: dict[str, tuple[int, int]]  # method → (links made, correct)

    @property
    def precision(self) -> float:
        return self.correct / self.linked if self.linked else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.records if self.records else 1.0


def read_truth(path: Path) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8") as handle:
        return {(r["province_code"], r["record_id"]): r["personal_id"] for r in csv.DictReader(handle)}


def measure(truth: dict[tuple[str, str], str], url: str | None = None) -> Accuracy:
    """Compare the warehouse's links with the truth, overall and per linkage method."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(LINKS_SQL)
        links = cur.fetchall()
        cur.execute("select count(*) from links.review_queue")
        review = cur.fetchone()[0]
    by_method: dict[str, list[int]] = {}
    linked = correct = 0
    for province, record_id, personal_id, method in links:
        if personal_id is None:
            continue
        right = truth.get((province, record_id)) == personal_id
        linked, correct = linked + 1, correct + right
        counts = by_method.setdefault(method, [0, 0])
        counts[0], counts[1] = counts[0] + 1, counts[1] + right
    records = sum(1 for province, record_id, _, _ in links if (province, record_id) in truth)
    return Accuracy(records, linked, correct, review, {m: (c[0], c[1]) for m, c in by_method.items()})


def report(accuracy: Accuracy) -> str:
    lines = [
        f"records with a true person: {accuracy.records}",
        f"linked: {accuracy.linked}  correct: {accuracy.correct}  in review: {accuracy.review}",
        f"precision: {100 * accuracy.precision:.2f} %  recall: {100 * accuracy.recall:.2f} %",
    ]
    for method, (made, right) in sorted(accuracy.by_method.items()):
        lines.append(f"  {method:<17} {made:>8} links, {100 * right / made:6.2f} % correct")
    return "\n".join(lines)
