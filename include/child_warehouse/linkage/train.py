"""Train the probabilistic model by expectation maximisation and save it, versioned, in the repository."""

from __future__ import annotations

import tempfile
from pathlib import Path

from child_warehouse import ledger
from child_warehouse.db.connection import transaction
from child_warehouse.linkage.model import MODEL_DIR, model_path
from child_warehouse.linkage.probabilistic import export, linker, load_into_duckdb


def train_on_tables(con, out: Path) -> dict:
    """EM on DuckDB's `records` and `register`; u from random pairs; λ from near-certain matches."""
    from splink import block_on

    trainer = linker(con, trained=False)
    trainer.training.estimate_probability_two_random_records_match(
        [block_on("name_folded", "dob", "sex")], recall=0.6
    )
    trainer.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=20251)
    trainer.training.estimate_parameters_using_expectation_maximisation(block_on("dob", "sex"))
    trainer.training.estimate_parameters_using_expectation_maximisation(block_on("given", "birth_year"))
    out.parent.mkdir(parents=True, exist_ok=True)
    return trainer.misc.save_model_to_json(str(out), overwrite=True)


def train_from_warehouse(url: str | None = None, out: Path | None = None) -> Path:
    """Train on every accepted child record in the warehouse against the register (IDs ignored)."""
    import duckdb

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
        con = duckdb.connect()
        load_into_duckdb(con, records_csv, register_csv)
        train_on_tables(con, out)
    return out


__all__ = ["MODEL_DIR", "train_from_warehouse", "train_on_tables"]
