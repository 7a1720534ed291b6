"""Splink on Spark (`local[2]`) against DuckDB, for real: the saved model on both, on generated data with
faults and strangers; the same pairs, probabilities and links. Needs the `spark` extra and Java
(`make test-scale` installs both)."""

from __future__ import annotations

import random
import re

import pytest

pytest.importorskip("pyspark", reason="the spark extra is not installed: make test-scale installs it")

from child_warehouse.db.connection import transaction
from child_warehouse.linkage import backends, spark
from child_warehouse.linkage.probabilistic import link_probabilistically
from child_warehouse.operations.scratch import run_stages, scratch_database
from child_warehouse.synth.national import generate_national

pytestmark = [pytest.mark.slow, pytest.mark.scale]

NAMES = ["nguyễn", "thị", "văn", "anh", "trần", "hồng", "loan", "bảo", "yến", "phan", "quân", "đặng", "ngọc"]


def _pairs(count: int) -> list[tuple[str, str]]:
    """Names as linkage compares them (folded) and as offices write them (diacritics), near and far."""
    rng = random.Random(11)  # noqa: S311 (test data)
    pairs = [("tran hong loan", "tran bao yen"), ("phan vaan quan", "phan van quan"), ("đặng", "dang")]
    for _ in range(count):
        left = " ".join(rng.choices(NAMES, k=rng.randint(2, 4)))
        right = list(left)
        right[rng.randrange(len(right))] = rng.choice("abcdeghiklmnoqrstuvxy ")
        pairs.append((left, "".join(right) if rng.random() < 0.6 else " ".join(rng.choices(NAMES, k=3))))
    return pairs


def test_jaro_winkler_on_spark_is_duckdbs(tmp_path):
    """The one function the engines do not share: Spark's own scores differ from DuckDB's, ours do not."""
    import duckdb

    pairs = [*_pairs(3000), (None, "an"), ("an", None)]
    session = spark.session(tmp_path)
    try:
        frame = session.createDataFrame(pairs, "a string, b string")
        frame.createOrReplaceTempView("pairs")
        ours = f"{spark.JARO_WINKLER_UDF}(a, b) as ours"
        rows = session.sql(
            f"select a, b, {ours}, jaro_winkler_similarity(a, b) as sparks from pairs"  # noqa: S608
        ).collect()
    finally:
        session.stop()
    con = duckdb.connect()
    con.execute("create table pairs (a varchar, b varchar)")
    con.executemany("insert into pairs values (?, ?)", pairs)
    duck = {
        (a, b): score
        for a, b, score in con.execute("select a, b, jaro_winkler_similarity(a, b) from pairs").fetchall()
    }
    assert len(rows) == len(pairs)
    assert all(row.ours == duck[(row.a, row.b)] for row in rows)  # exactly, nulls included
    assert sum(row.sparks != duck[(row.a, row.b)] for row in rows if row.a and row.b) > 100


def test_saved_model_translates_to_spark_sql():
    model = spark.spark_model()
    conditions = [lvl["sql_condition"] for c in model["comparisons"] for lvl in c["comparison_levels"]]
    assert model["sql_dialect"] == "spark"
    duckdb_only = re.compile(r"date_diff\('day'|(?<!cw_)jaro_?winkler_similarity\(", re.IGNORECASE)
    assert not any(duckdb_only.search(c) for c in conditions)
    assert sum(spark.JARO_WINKLER_UDF in c for c in conditions) == 3  # two name levels, one caregiver level


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale-linkage")
    generate_national(root, children=3000, seed=31, progress=False)
    return root


def _links(url: str) -> tuple[list, list]:
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            "select submission_id, source_row, personal_id, method, round(match_probability::numeric, 9) "
            "from links.child_links order by 1, 2"
        )
        links = cur.fetchall()
        cur.execute(
            "select submission_id, source_row, candidate_personal_id, round(match_probability::numeric, 9) "
            "from links.review_queue order by 1, 2, 3"
        )
        return links, cur.fetchall()


def _forget_probabilistic_links(url: str) -> list[int]:
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            "update links.child_links set personal_id = null, method = 'none', match_probability = null "
            "where method = 'probabilistic'"
        )
        cur.execute("delete from links.review_queue")
        cur.execute(
            "select array_agg(submission_id) from ledger.submissions where submission_type = 'child_records'"
        )
        return cur.fetchone()[0]


def test_spark_links_as_duckdb_does(generated, monkeypatch):
    """Scored apart, both engines find the same pairs with the same probabilities; then the night's
    own step, run once per backend, leaves the same links and review queue in the warehouse."""
    with scratch_database() as url:
        run_stages(generated / "landing", generated / "register" / "persons.csv", url, probabilistic=False)
        compared = backends.compare_in_warehouse(url)
        assert compared.records > 100
        assert len(compared.duckdb.pairs) > 100
        assert compared.agrees(backends.TOLERANCE), backends.report(compared)

        submissions = _forget_probabilistic_links(url)
        monkeypatch.setenv("CHILD_WAREHOUSE_LINKAGE_BACKEND", "duckdb")
        link_probabilistically(submissions, url)
        on_duckdb = _links(url)
        _forget_probabilistic_links(url)
        monkeypatch.setenv("CHILD_WAREHOUSE_LINKAGE_BACKEND", "spark")
        link_probabilistically(submissions, url)
        on_spark = _links(url)
    assert sum(method == "probabilistic" for *_, method, _ in on_duckdb[0]) > 50
    assert on_spark == on_duckdb
