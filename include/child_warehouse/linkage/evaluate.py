"""Linkage accuracy against a truth file (record_id → personal_id): precision, recall, completeness."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from psycopg2 import sql
from psycopg2.extras import execute_values

from child_warehouse import ledger
from child_warehouse.db.connection import transaction
from child_warehouse.linkage import features
from child_warehouse.linkage.model import model_path

LINKS_SQL = """
select s.province_code, l.record_id, l.personal_id, l.method, q.candidate_personal_id
from links.child_links as l join ledger.submissions as s using (submission_id)
left join links.review_queue as q on (q.submission_id, q.source_row) = (l.submission_id, l.source_row)
where s.submission_type = 'child_records' and s.status = any(%s)
"""


class _Rates:
    """Precision and recall of anything with `records`, `linked` and `correct`."""

    records: int
    linked: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.linked if self.linked else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.records if self.records else 1.0


@dataclass
class Outcomes(_Rates):
    """What linkage did with one group of records, against the truth."""

    records: int = 0  # records whose true person is in the register
    strangers: int = 0  # records the truth says have no register person
    linked: int = 0
    correct: int = 0
    review: int = 0
    review_right: int = 0  # records with a true person whose review candidate is that person
    strangers_linked: int = 0
    strangers_in_review: int = 0

    @property
    def reached(self) -> float:
        """Recall counting a right review candidate as found (a person confirms it)."""
        return (self.correct + self.review_right) / self.records if self.records else 1.0

    def add(self, truth: str | None, personal_id: str | None, candidate: str | None) -> None:
        """Count one record whose true person is `truth` ("" for none)."""
        stranger = truth == ""
        self.records += not stranger
        self.strangers += stranger
        self.linked += personal_id is not None
        self.correct += personal_id is not None and personal_id == truth
        self.review += candidate is not None
        self.review_right += not stranger and candidate is not None and candidate == truth
        self.strangers_linked += stranger and personal_id is not None
        self.strangers_in_review += stranger and candidate is not None


@dataclass(frozen=True)
class Accuracy(_Rates):
    records: int
    linked: int
    correct: int
    review: int
    by_method: dict[str, tuple[int, int]]  # method → (links made, correct)
    true_pairs: int = 0  # records left to probabilistic linkage whose true person is in the register
    blocked_pairs: int = 0  # of those, pairs that some blocking rule puts in front of the model
    overall: Outcomes = field(default_factory=Outcomes)
    by_fault: dict[str, Outcomes] | None = None

    @property
    def pairs_completeness(self) -> float:
        return self.blocked_pairs / self.true_pairs if self.true_pairs else 1.0


def read_truth(path: Path) -> dict[tuple[str, str], str]:
    """(province, record_id) → personal ID; an empty ID means the child has no register person."""
    with path.open(encoding="utf-8") as handle:
        return {(r["province_code"], r["record_id"]): r["personal_id"] for r in csv.DictReader(handle)}


def read_faults(path: Path) -> dict[tuple[str, str], set[str]]:
    """(province, record_id) → the generator's faults on that child record (its faults.csv)."""
    found: dict[tuple[str, str], set[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["record_id"] and "/child_records" in row["file"]:
                found.setdefault((row["file"].split("/")[0], row["record_id"]), set()).add(row["fault"])
    return found


def measure(
    truth: dict[tuple[str, str], str],
    url: str | None = None,
    faults: dict[tuple[str, str], set[str]] | None = None,
) -> Accuracy:
    """Compare the warehouse's links with the truth, overall, per linkage method and per fault."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(LINKS_SQL, (sorted(ledger.ACCEPTED),))
        links = cur.fetchall()
        cur.execute("select count(*) from links.review_queue")
        review = cur.fetchone()[0]
    by_method: dict[str, list[int]] = {}
    overall, by_fault = Outcomes(), {}
    for province, record_id, personal_id, method, candidate in links:
        key = (province, record_id)
        if key in truth:
            overall.add(truth[key], personal_id, candidate)
            for fault in (faults or {}).get(key, ()):
                by_fault.setdefault(fault, Outcomes()).add(truth[key], personal_id, candidate)
        if personal_id is None:
            continue
        counts = by_method.setdefault(method, [0, 0])
        counts[0], counts[1] = counts[0] + 1, counts[1] + (truth.get(key) == personal_id)
    return Accuracy(
        overall.records,
        sum(c[0] for c in by_method.values()),
        sum(c[1] for c in by_method.values()),
        review,
        {m: (c[0], c[1]) for m, c in by_method.items()},
        overall=overall,
        by_fault=by_fault if faults else None,
    )


def blocking_conditions() -> list[str]:
    """The saved model's blocking rules as PostgreSQL conditions on `rec` (record) and `reg` (person)."""
    rules = json.loads(model_path().read_text())["blocking_rules_to_generate_predictions"]
    sql = [rule["blocking_rule"] if isinstance(rule, dict) else rule for rule in rules]
    return [re.sub(r'\b([lr])\."', lambda m: 'rec."' if m.group(1) == "l" else 'reg."', rule) for rule in sql]


_PAIRS_SQL = sql.SQL("""
with considered as (
    select feature.*, s.province_code, raw_row.record_id
    from ({records}) as feature
    join raw.child_records as raw_row
        on raw_row.submission_id || ':' || raw_row.source_row = feature.uid
    join ledger.submissions as s on s.submission_id = raw_row.submission_id
    join links.child_links as l
        on (l.submission_id, l.source_row) = (raw_row.submission_id, raw_row.source_row)
    where l.method <> 'deterministic_id'
), candidates as ({register})
select count(*), count(*) filter (where {any_rule})
from considered as rec
join truth on (truth.province_code, truth.record_id) = (rec.province_code, rec.record_id)
join candidates as reg on reg.uid = truth.personal_id
""")


def with_pairs_completeness(
    accuracy: Accuracy, truth: dict[tuple[str, str], str], url: str | None = None
) -> Accuracy:
    """How many true (record, person) pairs the blocking rules let the model score at all.

    Counted over the records probabilistic linkage had to link (not linked by ID) whose true person is
    among the register candidates it was given, with the saved model's own blocking rules.
    """
    from dataclasses import replace

    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute("create temporary table truth (province_code text, record_id text, personal_id text)")
        execute_values(
            cur, "insert into truth values %s", [(p, r, i) for (p, r), i in truth.items()], page_size=10_000
        )
        cur.execute(
            "select array_agg(submission_id) from ledger.submissions where submission_type = 'child_records'"
        )
        submissions = cur.fetchone()[0] or []
        cur.execute(features.BORN_AFTER_SQL, {"submissions": submissions})
        born_after = cur.fetchone()[0]
        records = cur.mogrify(features.RECORDS_SQL, {"submissions": submissions, "unlinked_only": False})
        register = cur.mogrify(features.REGISTER_SQL, {"born_after": born_after})
        # The model's own blocking rules, as Splink writes them (trusted SQL, not input).
        any_rule = sql.SQL(" or ").join(sql.SQL("({})").format(sql.SQL(c)) for c in blocking_conditions())
        cur.execute(
            _PAIRS_SQL.format(
                records=sql.SQL(records.decode()), register=sql.SQL(register.decode()), any_rule=any_rule
            )
        )
        true_pairs, blocked = cur.fetchone()
    return replace(accuracy, true_pairs=true_pairs, blocked_pairs=blocked)


def report(accuracy: Accuracy) -> str:
    o = accuracy.overall
    lines = [
        f"records with a true person: {accuracy.records}   strangers (no register person): {o.strangers}",
        f"linked: {accuracy.linked}  correct: {accuracy.correct}  in review: {accuracy.review}",
        f"precision: {100 * accuracy.precision:.2f} %  recall: {100 * accuracy.recall:.2f} %  "
        f"recall with review: {100 * o.reached:.2f} %",
    ]
    if o.strangers:
        lines.append(
            f"strangers linked (wrongly): {o.strangers_linked}   strangers in review: {o.strangers_in_review}"
        )
    if accuracy.true_pairs:
        lines.append(
            f"pairs-completeness: {100 * accuracy.pairs_completeness:.2f} % "
            f"({accuracy.blocked_pairs} of {accuracy.true_pairs} true pairs left to probabilistic "
            "linkage reach the model)"
        )
    for method, (made, right) in sorted(accuracy.by_method.items()):
        lines.append(f"  {method:<17} {made:>8} links, {100 * right / made:6.2f} % correct")
    if accuracy.by_fault:
        lines += ["", fault_table(accuracy.by_fault)]
    return "\n".join(lines)


def fault_table(by_fault: dict[str, Outcomes]) -> str:
    """Per fault: records, precision, recall (auto-links), recall with review, review; strangers apart."""
    head = (
        f"{'fault':<22} {'records':>7} {'precision':>9} {'recall':>7} {'+review':>8} {'review':>6} "
        f"{'wrong':>5}"
    )
    lines = [head]
    for fault, o in sorted(by_fault.items(), key=lambda item: (item[0].startswith("stranger"), item[0])):
        if fault.startswith("stranger"):
            lines.append(
                f"{fault:<22} {o.strangers:>7} {'':>9} {'':>7} {'':>8} {o.strangers_in_review:>6} "
                f"{o.strangers_linked:>5}"
            )
            continue
        lines.append(
            f"{fault:<22} {o.records:>7} {100 * o.precision:>8.2f}% {100 * o.recall:>6.2f}% "
            f"{100 * o.reached:>7.2f}% {o.review:>6} {o.linked - o.correct:>5}"
        )
    return "\n".join(lines)


def relink_without_caregiver(url: str) -> None:
    """In a scratch warehouse: forget every record's parent name and the probabilistic links, then
    link again, to see what linkage is worth where communes do not record the parent."""
    from child_warehouse.linkage.probabilistic import link_probabilistically

    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute("update raw.child_records set caregiver_name = null")
        cur.execute(
            "update links.child_links set personal_id = null, method = 'none', match_probability = null "
            "where method = 'probabilistic'"
        )
        cur.execute(
            "select array_agg(submission_id) from ledger.submissions where submission_type = 'child_records'"
        )
        submissions = cur.fetchone()[0] or []
    link_probabilistically(submissions, url)


CURVE_THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def threshold_curve(
    truth: dict[tuple[str, str], str], url: str
) -> tuple[list[tuple[float, int, int, int]], int]:
    """(threshold, records whose best candidate reaches it, right, wrong) over every record linkage
    by ID left, scored again with the saved model: the precision/recall curve the thresholds come from
    (before the margin and one-person-one-record rules, which only send more to review); and how many
    of those records have a register person."""
    import tempfile

    from child_warehouse.linkage import probabilistic

    with tempfile.TemporaryDirectory(prefix="cw-curve-") as tmp, transaction(url) as conn:
        with conn.cursor() as cur:
            cur.execute(
                """select s.province_code, l.record_id, l.submission_id || ':' || l.source_row
                   from links.child_links as l join ledger.submissions as s using (submission_id)
                   where l.method <> 'deterministic_id' and s.submission_type = 'child_records'"""
            )
            records = cur.fetchall()
        submissions = sorted({int(uid.split(":")[0]) for _, _, uid in records})
        records_csv, register_csv, _ = probabilistic.export(conn, submissions, Path(tmp), unlinked_only=False)
        con = probabilistic.connect_duckdb(Path(tmp))
        probabilistic.load_into_duckdb(con, records_csv, register_csv)
        predictions = probabilistic.linker(con).inference.predict(threshold_match_probability=0.1)
        found = dict(
            con.execute(
                """select uid_l, arg_max((uid_r, match_probability), (match_probability, uid_r))
                   from query_table(?) group by uid_l""",
                [predictions.physical_name],
            ).fetchall()
        )
        con.close()
    best = [(truth[(p, r)], *found[uid]) for p, r, uid in records if (p, r) in truth and uid in found]
    curve = []
    for threshold in CURVE_THRESHOLDS:
        chosen = [(true, found) for true, found, p in best if p >= threshold]
        right = sum(1 for true, found in chosen if true == found)
        curve.append((threshold, len(chosen), right, len(chosen) - right))
    return curve, sum(1 for p, r, _ in records if truth.get((p, r)))


def curve_table(curve: list[tuple[float, int, int, int]], records: int) -> str:
    lines = [
        f"{'best candidate ≥':>16} {'records':>8} {'right':>7} {'wrong':>6} {'precision':>9} {'recall':>7}"
    ]
    for threshold, chosen, right, wrong in curve:
        precision = right / chosen if chosen else 1.0
        lines.append(
            f"{threshold:>16.2f} {chosen:>8} {right:>7} {wrong:>6} {100 * precision:>8.2f}% "
            f"{100 * right / records if records else 100:>6.2f}%"
        )
    return "\n".join(lines)
