"""Load a population register extract into the restricted register schema.

The adapter reads the extract's CSV (the generator's today; the register's bulk extract later)
and replaces register.persons in one transaction, so linkage never sees half an extract.
"""

from __future__ import annotations

from pathlib import Path

from child_warehouse.db.connection import transaction
from child_warehouse.linkage.features import REGISTER_FEATURES_SQL

COLUMNS = (
    "personal_id",
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity_code",
    "birth_province_code",
    "commune_code",
    "mother_personal_id",
    "father_personal_id",
    "date_of_death",
    "extract_date",
)


def load_register_extract(csv_path: Path, url: str | None = None) -> int:
    """Replace the register with the extract at `csv_path`; return the number of persons."""
    with transaction(url) as conn, conn.cursor() as cur, csv_path.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
        if tuple(header) != COLUMNS:
            raise ValueError(f"{csv_path.name}: register extract header {header} is not {list(COLUMNS)}")
        cur.execute("truncate register.persons")
        cur.copy_expert(
            f"copy register.persons ({', '.join(COLUMNS)}) from stdin with (format csv, null '')", handle
        )
        cur.execute("analyze register.persons")
        refresh_features(cur)
        # A new extract: linkage scores every record against it again (links.scored_features).
        cur.execute(
            "insert into register.extracts (persons) select count(*) from register.persons returning persons"
        )
        return cur.fetchone()[0]


def refresh_features(cur) -> None:
    """Recompute the register's linkage features from register.persons (in the caller's transaction)."""
    cur.execute("truncate register.person_features")
    cur.execute(REGISTER_FEATURES_SQL)
    cur.execute("analyze register.person_features")
