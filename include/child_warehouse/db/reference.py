"""The reference lists, loaded into `reference.*` from the CSVs beside this module.

Provinces and communes before and after the July 2025 reform (effective-dated: codes are reused),
the 2025 crosswalks, the 54 ethnic groups, the 14 groups of Article 10 and the indicator catalogue
(see reference/SOURCES.md). They are data of the code's version: every `db init` and `db migrate`
replaces each table's rows with the files' in one transaction, so ingest and validation read them
from the first night on, and dbt documents and tests them as sources.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

# In loading order; each file's header names its table's columns.
TABLES = (
    "provinces",
    "communes",
    "province_crosswalk_2025",
    "commune_crosswalk_2025",
    "ethnic_groups",
    "special_circumstances",
    "indicators",
    "commune_assessment_rules",
)


def reference_dir() -> Path:
    """The folder of the reference CSVs (also read by the sample generator)."""
    return Path(str(resources.files("child_warehouse.db") / "reference"))


def _columns(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def load_reference_lists(conn) -> dict[str, int]:
    """Replace every reference table's rows with its file's, in the caller's transaction; rows per table."""
    from psycopg2 import sql

    loaded = {}
    with conn.cursor() as cur:
        for table in TABLES:
            path = reference_dir() / f"{table}.csv"
            target = sql.Identifier("reference", table)
            columns = sql.SQL(", ").join(map(sql.Identifier, _columns(path)))
            cur.execute(sql.SQL("truncate {}").format(target))
            with path.open(encoding="utf-8", newline="") as handle:
                cur.copy_expert(
                    sql.SQL("copy {} ({}) from stdin with (format csv, header true)").format(target, columns),
                    handle,
                )
            loaded[table] = cur.rowcount
    return loaded
