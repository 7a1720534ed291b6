"""What most teams would write instead, on the same data: pandas + to_sql, GX's pandas engine,
and the recordlinkage library with the same blocking as the Splink model."""

from __future__ import annotations

import csv
import os
import re
import time
from pathlib import Path

from bench.rules import row_condition
from child_warehouse.validation.suites import load_suite_spec

PEER_SCHEMA = "bench_peer"
_DATE = r"^\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{5}(\.0+)?)\s*$"
_PERSONAL_ID = r"^\s*\d{3}\s?\d{3}\s?\d{6}\s*$"
# Row rules GX's pandas engine has as its own: a required column (rules/values/missing.sql, as GX's
# not-null rule: pandas reads an empty cell as null but a cell of spaces only, which the SQL rule
# also calls missing, as text; a clean export holds few) and a pattern (`c is not null and c !~ '…'`,
# `!~*` case-insensitive), read from the rule's condition
_MISSING = re.compile(r"util\.clean_text\((\w+)\) is null")
_PATTERN = re.compile(r"(\w+) is not null and \1 !~(\*?) '((?:[^']|'')*)'", re.S)
_YES_NO = r"(?i)^\s*(có|co|c|x|1|1\.0|yes|true|không|khong|k|0|0\.0|no|false)\s*$"
# A pandas stand-in for each SQL row rule, by the column it checks: same rows, one column scan each.
_PANDAS_RULES = {
    "commune_code": r"^\s*\d{1,5}\s*$",
    "date_of_birth": _DATE,
    "updated_on": _DATE,
    "personal_id": _PERSONAL_ID,
    "caregiver_personal_id": _PERSONAL_ID,
    "sex": r"(?i)^\s*(nam|nữ|nu|m|f|1|2|male|female)\s*$",
    "household_poverty": r"(?i)^\s*(nghèo|ngheo|cận nghèo|can ngheo|can_ngheo|không|khong)\s*$",
    "record_status": r"(?i)^\s*\S.*$",
}


def _engine(url: str):
    from sqlalchemy import create_engine

    return create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))


def _files(landing: Path, submission_type: str, suffix: str, encodings: dict[str, str]) -> list[Path]:
    """The landing's files of one type and format in UTF-8 (pandas' default), largest first."""
    found = [
        p
        for p in landing.glob(f"*/*/{submission_type}*{suffix}")
        if encodings.get(str(p.relative_to(landing)), "utf-8").startswith("utf-8")
    ]
    return sorted(found, key=lambda p: -p.stat().st_size)


def submission_encodings(truth_csv: Path) -> dict[str, str]:
    with truth_csv.open(encoding="utf-8") as handle:
        return {row["file"]: row["encoding"] for row in csv.DictReader(handle)}


def pandas_to_sql(url: str, landing: Path, encodings: dict[str, str], suffix: str, sample_rows: int) -> dict:
    """read_csv / read_excel then DataFrame.to_sql (the default method), file by file, on a sample."""
    import pandas as pd

    engine, rows, seconds, files = _engine(url), 0, 0.0, 0
    with engine.begin() as conn:
        conn.exec_driver_sql(f"drop schema if exists {PEER_SCHEMA} cascade; create schema {PEER_SCHEMA}")
    for path in reversed(_files(landing, "child_records", suffix, encodings)):  # smallest first
        if rows >= sample_rows:
            break
        started = time.perf_counter()
        if suffix == ".csv":  # a row with a cell too many would stop read_csv: skip it, as scripts do
            frame = pd.read_csv(path, dtype=str, on_bad_lines="skip")
        else:
            frame = pd.read_excel(path, dtype=str)
        # Provinces' headers differ (dialects), so each file gets its own table, as a script would do.
        table = f"{path.parent.parent.name}_{path.stem}_{suffix[1:]}".replace(".", "_")
        frame.to_sql(table, engine, schema=PEER_SCHEMA, if_exists="replace", index=False)
        seconds += time.perf_counter() - started
        rows, files = rows + len(frame), files + 1
    engine.dispose()
    return {"rows": rows, "seconds": seconds, "files": files}


def _pandas_suite(name: str):
    """The child_records suite for pandas: required columns as not-null rules, the others as regexes."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = []
    for spec in load_suite_spec("child_records")["expectations"]:
        query = spec["kwargs"].get("unexpected_rows_query")
        condition = (row_condition(query) or "").strip() if query else ""
        if spec["type"] != "expect_no_failing_rows":
            config = {"type": spec["type"], "kwargs": spec["kwargs"]}
        elif missing := _MISSING.fullmatch(condition):
            config = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": missing[1]}}
        elif pattern := _PATTERN.fullmatch(condition):
            regex = ("(?i)" if pattern[2] else "") + pattern[3].replace("''", "'")
            config = {
                "type": "expect_column_values_to_match_regex",
                "kwargs": {"column": pattern[1], "regex": regex},
            }
        else:
            column = re.match(r"\s*select\s+(?:\w+\.)?source_row,\s*(?:\w+\.)?(\w+)", query, re.I)[1]
            config = {
                "type": "expect_column_values_to_match_regex",
                "kwargs": {"column": column, "regex": _PANDAS_RULES.get(column, _YES_NO)},
            }
        expectations.append(ExpectationConfiguration(**config).to_domain_obj())
    return gx.ExpectationSuite(name=name, expectations=expectations)


def gx_pandas(clean_csv: Path) -> dict:
    """GX 1.x's pandas engine over the same raw child records (read from the clean CSV export)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx
    import pandas as pd
    from great_expectations.data_context.types.base import ProgressBarsConfig

    started = time.perf_counter()
    frame = pd.read_csv(clean_csv, dtype=str)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = context.data_sources.add_pandas("bench").add_dataframe_asset("child_records")
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(
            name="bench",
            data=batch.add_batch_definition_whole_dataframe("all"),
            suite=context.suites.add(_pandas_suite("bench")),
        )
    )
    result = definition.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["source_row"]},
    )
    return {
        "rows": len(frame),
        "seconds": time.perf_counter() - started,
        "rules": len(result.results),
        "failed_rules": sum(not r.success for r in result.results),
    }


# The Splink model's blocking rules (linkage/model.py), the same union of blocks.
BLOCKS = (
    ("dob", "sex"),
    ("dob_swapped", "sex"),
    ("given", "birth_year", "province_now"),
    ("name_folded", "birth_year"),
    ("name_sorted", "province_now"),
    ("surname", "given", "commune_code"),
)


def recordlinkage_peer(records_csv: Path, register_csv: Path) -> dict:
    """recordlinkage: the same blocks, comparable comparisons, and its unsupervised ECM classifier."""
    import pandas as pd
    import recordlinkage
    from recordlinkage.index import Block

    started = time.perf_counter()
    records = pd.read_csv(records_csv, dtype=str).set_index("uid")
    register = pd.read_csv(register_csv, dtype=str).set_index("uid")
    pairs = None
    for columns in BLOCKS:
        cols = list(columns)
        found = Block(left_on=cols, right_on=cols).index(
            records.dropna(subset=cols), register.dropna(subset=cols)
        )
        pairs = found if pairs is None else pairs.union(found)
    compare = recordlinkage.Compare()
    compare.string("name_folded", "name_folded", method="jarowinkler", threshold=0.85, label="name")
    compare.exact("dob", "dob", label="dob")
    compare.exact("dob", "dob_swapped", label="dob_swapped")
    compare.exact("sex", "sex", label="sex")
    compare.exact("commune_code", "commune_code", label="commune")
    compare.exact("province_now", "province_now", label="province")
    compare.string("caregiver_a", "caregiver_a", method="jarowinkler", threshold=0.9, label="caregiver")
    features = compare.compute(pairs, records, register)
    matches = recordlinkage.ECMClassifier().fit_predict(features) if len(features) else []
    return {
        "records": len(records),
        "register": len(register),
        "pairs": len(pairs) if pairs is not None else 0,
        "matches": len(matches),
        "seconds": time.perf_counter() - started,
    }
