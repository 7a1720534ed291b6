"""The probabilistic step on Spark: the same saved model, scored by Splink's `SparkAPI`.

DuckDB (probabilistic.py) is the default and scores a national night on one machine. Spark is the
way out when one machine is not enough (docs/linkage.md): `CHILD_WAREHOUSE_LINKAGE_BACKEND=spark`
sends the same feature files to a Spark session (`CHILD_WAREHOUSE_SPARK_MASTER`, `local[2]` unless
set), and the best candidates come back to the driver, from which probabilistic.py COPYs them into
PostgreSQL exactly as it does DuckDB's.

The model is the one saved for DuckDB, not a second one: its SQL is DuckDB's dialect, so each
comparison level and blocking rule is translated to Spark SQL with sqlglot (Splink's own translator),
and the trained m and u probabilities are copied as they are.

Jaro-Winkler is the one function the two engines do not share. Spark's own `jaro_winkler_similarity`
(Spark 4) and the `jaro_winkler` of the jar Splink ships score longer strings differently from
DuckDB ("tran hong loan" against "tran bao yen": 0.845 against DuckDB's 0.856; DuckDB also compares
UTF-8 bytes, not characters), which moves pairs across the model's 0.85/0.9/0.95 levels and changes
their probabilities by up to 0.4. So on Spark the model calls `cw_jaro_winkler_similarity`, a
vectorised (Arrow) UDF that has DuckDB compute each batch, and both engines compute the same
comparison levels (tests/scale/test_spark_linkage.py checks the two functions agree to the bit).
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import sys
from pathlib import Path

from child_warehouse import settings as config
from child_warehouse.linkage.model import REVIEW, best_candidates_sql, model_path

log = logging.getLogger(__name__)

_JARO_WINKLER = re.compile(r"\bjarowinkler_similarity\s*\(", re.IGNORECASE)
JARO_WINKLER_UDF = "cw_jaro_winkler_similarity"


def _jaro_winkler_similarity(left, right):
    """DuckDB's `jaro_winkler_similarity` over two pandas Series (an Arrow batch), computed by DuckDB
    itself in the Spark worker: the same bytes-based algorithm and the same floating-point result, to
    the last bit (RapidFuzz gives the same Jaro but its Winkler step differs in the last bit now and
    then, which matters when a score sits on a level's threshold)."""
    import duckdb
    import pandas as pd

    batch = pd.DataFrame({"a": left, "b": right})  # noqa: F841 (read by DuckDB's replacement scan)
    scores = duckdb.sql("select jaro_winkler_similarity(a, b) as score from batch").df()["score"]
    return pd.Series(scores.to_numpy(), index=left.index, dtype="float64")


def register_functions(spark) -> None:
    """DuckDB's Jaro-Winkler, for the saved model's conditions (a name of our own: Spark's built-in
    `jaro_winkler_similarity` would win over a temporary function of that name)."""
    from pyspark.sql.functions import pandas_udf

    spark.udf.register(JARO_WINKLER_UDF, pandas_udf(_jaro_winkler_similarity, "double"))


def spark_sql(condition: str) -> str:
    """One condition of the saved model in Spark SQL (`ELSE` stays `ELSE`)."""
    import sqlglot

    if condition.strip().upper() == "ELSE":
        return condition
    translated = sqlglot.transpile(condition, read="duckdb", write="spark")[0]
    return _JARO_WINKLER.sub(f"{JARO_WINKLER_UDF}(", translated)


def spark_model(path: Path | None = None) -> dict:
    """The saved model's settings with every condition in Spark SQL and its trained weights kept."""
    model = json.loads((path or model_path()).read_text(encoding="utf-8"))
    model["sql_dialect"] = "spark"
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
    for rule in model["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = spark_sql(rule["blocking_rule"])
        rule["sql_dialect"] = "spark"
    return model


def session(folder: Path):
    """A Spark session with Splink's similarity jar, its scratch space under `folder`.

    Local mode runs driver and executors in one JVM, so the driver's memory is the step's memory
    (`CHILD_WAREHOUSE_SPARK_DRIVER_MEMORY`). On a cluster, `folder` must be storage every executor
    reads (docs/linkage.md)."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    # Python workers (the Jaro-Winkler UDF) run this environment's interpreter, which has DuckDB
    # and this package; PySpark reads the variable when the session starts.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    scratch = folder / "spark"
    scratch.mkdir(parents=True, exist_ok=True)
    spark = (
        SparkSession.builder.master(config.spark_master())
        .appName("child-warehouse-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", config.spark_driver_memory())
        .config("spark.local.dir", str(scratch / "local"))
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.sql.shuffle.partitions", str(config.spark_partitions()))
        .config("spark.default.parallelism", str(config.spark_partitions()))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    # py4j says goodbye at INFO from a destructor, after logging's streams may be closed at exit
    logging.getLogger("py4j").setLevel(logging.WARNING)
    spark.sparkContext.setCheckpointDir(str(scratch / "checkpoints"))
    register_functions(spark)
    return spark


def _read(spark, path: Path, name: str):
    """A feature file as a DataFrame, every column text (as DuckDB reads it) but the two dates."""
    # PostgreSQL's CSV doubles a quote inside a quoted field; Spark's default escape is a backslash
    frame = spark.read.csv(str(path), header=True, inferSchema=False, escape='"')
    frame.createOrReplaceTempView(f"{name}_text")
    return spark.sql(
        f"select * except (dob, dob_swapped), try_cast(dob as date) as dob, "  # noqa: S608 (fixed names)
        f"try_cast(dob_swapped as date) as dob_swapped from {name}_text"
    )


def predict(spark, records_csv: Path, register_csv: Path):
    """Splink's predictions (uid_l, uid_r, match_probability, …) as a Spark DataFrame, kept as the
    view `predictions`."""
    from splink import Linker, SparkAPI

    db = SparkAPI(spark_session=spark)
    sources = [
        db.register(_read(spark, records_csv, "records"), dataset_display_name="records"),
        db.register(_read(spark, register_csv, "register"), dataset_display_name="register"),
    ]
    linker = Linker(sources, spark_model(), log_level=logging.WARNING)
    predictions = linker.inference.predict(threshold_match_probability=REVIEW / 2).as_spark_dataframe()
    predictions.createOrReplaceTempView("predictions")
    return predictions


def score(spark, records_csv: Path, register_csv: Path, best_csv: Path) -> int:
    """Predict on Spark and write each record's best candidate to `best_csv` (no header), streamed
    through the driver a partition at a time; returns how many records have one."""
    predict(spark, records_csv, register_csv)
    best = spark.sql(best_candidates_sql())
    count = 0
    with best_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in best.toLocalIterator():
            writer.writerow(row)
            count += 1
    return count
