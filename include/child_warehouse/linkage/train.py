"""Train the probabilistic model (m from the records' own IDs, u by sampling) and save it, versioned."""

from __future__ import annotations

import tempfile
from pathlib import Path

from child_warehouse import ledger
from child_warehouse.db.connection import transaction
from child_warehouse.linkage import features
from child_warehouse.linkage.model import MODEL_DIR, model_path
from child_warehouse.linkage.probabilistic import connect_duckdb, export, linker, load_into_duckdb

# No evidence level is ever impossible for a true match: a single disagreement (a misread sex, a child
# the register places elsewhere, a given name mistyped) lowers the weight by a bounded amount instead
# of vetoing the pair. With u near 1 for "disagrees", a floor of 1/1000 costs at most about 10 bits.
M_FLOOR = 1e-3


def bounded(model: dict, floor: float = M_FLOOR) -> dict:
    """Every non-null level's m at least `floor` (levels never seen among true pairs included),
    renormalised so each comparison's m still sums to 1."""
    for comparison in model["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        raised = [max(level.get("m_probability") or 0.0, floor) for level in levels]
        total = sum(raised)
        for level, m in zip(levels, raised, strict=True):
            level["m_probability"] = m / total
    return model


def train_on_tables(con, out: Path) -> dict:
    """m from the records' own personal IDs, u from random pairs, λ from near-certain matches.

    The records that carry a valid ID are labelled matches of the register person with that ID: they
    show how often a true match has a misspelt name, a misread date, another commune or sex, at the
    rates the communes really make those errors (an unsupervised EM on the same data collapsed those
    levels to zero). Levels no labelled pair reaches are bounded away from zero (`bounded`).
    Needs an `id_label` column in both tables (the record's ID, the person's ID).
    """
    import json

    from splink import block_on

    trainer = linker(con, trained=False)
    trainer.training.estimate_probability_two_random_records_match(
        [block_on("name_folded", "dob", "sex")], recall=0.6
    )
    trainer.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=20251)
    trainer.training.estimate_m_from_label_column("id_label")
    model = bounded(trainer.misc.save_model_to_json())
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return model


_ID_LABELS = """
select r.submission_id || ':' || r.source_row as uid, util.parse_personal_id(r.personal_id) as id_label
from raw.child_records as r where r.submission_id = any(%(submissions)s)
"""


def add_id_labels(conn, con, submissions: list[int], folder: Path) -> None:
    """The `id_label` column: each record's well-formed personal ID, each register person's own."""
    labels_csv = folder / "labels.csv"
    features.export_csv(conn, _ID_LABELS, {"submissions": submissions}, labels_csv)
    con.execute(
        "create table labels as select * from read_csv(?, header = true, all_varchar = true)",
        [str(labels_csv)],
    )
    con.execute("alter table records add column id_label varchar")
    con.execute("update records set id_label = labels.id_label from labels where labels.uid = records.uid")
    con.execute("alter table register add column id_label varchar")
    con.execute("update register set id_label = uid")


def train_from_warehouse(url: str | None = None, out: Path | None = None) -> Path:
    """Train on every accepted child record in the warehouse against the register."""
    out = out or model_path()
    with tempfile.TemporaryDirectory(prefix="cw-train-") as tmp, transaction(url) as conn:
        with conn.cursor() as cur:
            cur.execute(
                "select submission_id from ledger.submissions where submission_type = 'child_records' "
                "and status = any(%s)",
                (sorted(ledger.ACCEPTED),),
            )
            submissions = [row[0] for row in cur.fetchall()]
        records_csv, register_csv, _ = export(conn, submissions, Path(tmp), unlinked_only=False)
        con = connect_duckdb(Path(tmp))
        load_into_duckdb(con, records_csv, register_csv)
        add_id_labels(conn, con, submissions, Path(tmp))
        train_on_tables(con, out)
    return out


__all__ = ["MODEL_DIR", "train_from_warehouse", "train_on_tables"]
