"""Probabilistic linkage with Splink 5 on DuckDB: PostgreSQL → DuckDB by COPY, links back by COPY.

DuckDB is the default backend; `CHILD_WAREHOUSE_LINKAGE_BACKEND=spark` scores the same files with
the same saved model on Spark instead (spark.py), and the links come back the same way.

Only records deterministic linkage left unlinked are scored, and of those only the ones whose
features were not scored before against the same register extract with the same model (a corrected
file sent again, a rerun): the others keep the decision their features got then
(links.scored_features). Each record takes its best candidate:
auto-linked at or above AUTO_LINK when clearly ahead of the runner-up, queued for clerical review
from REVIEW, otherwise left unlinked. Reviewers' decisions (links.review_decisions) override both
and survive reruns and retraining, since they are keyed by province, record_id and candidate.
"""

from __future__ import annotations

import hashlib
import logging
import math
import tempfile
from pathlib import Path

from psycopg2 import sql

from child_warehouse.db.connection import transaction
from child_warehouse.linkage import features
from child_warehouse.linkage.model import MODEL_VERSION, REVIEW, best_candidates_sql, model_path, settings

log = logging.getLogger(__name__)


_LOAD = {
    "records": (
        "create or replace table records as select * from read_csv(?, header = true, all_varchar = true)",
        "alter table records alter dob type date using try_cast(dob as date)",
        "alter table records alter dob_swapped type date using try_cast(dob_swapped as date)",
    ),
    "register": (
        "create or replace table register as select * from read_csv(?, header = true, all_varchar = true)",
        "alter table register alter dob type date using try_cast(dob as date)",
        "alter table register alter dob_swapped type date using try_cast(dob_swapped as date)",
    ),
}


def connect_duckdb(folder: Path):
    """An in-memory DuckDB held to the configured memory limit, spilling to `folder` beyond it."""
    import duckdb

    from child_warehouse import settings as config

    con = duckdb.connect()
    con.execute(f"set memory_limit = '{config.linkage_memory_limit()}'")  # a validated size
    con.execute("set temp_directory = ?", [str(folder / "duckdb-spill")])
    return con


def load_into_duckdb(con, records_csv: Path, register_csv: Path) -> None:
    for table, path in (("records", records_csv), ("register", register_csv)):
        create, *typed = _LOAD[table]
        con.execute(create, [str(path)])
        for statement in typed:
            con.execute(statement)


def linker(con, trained: bool = True):
    """A Splink linker over the DuckDB tables `records` and `register`."""
    from splink import DuckDBAPI, Linker

    db = DuckDBAPI(connection=con)
    sources = [
        db.register("records", dataset_display_name="records"),
        db.register("register", dataset_display_name="register"),
    ]
    model = str(model_path()) if trained else settings()
    return Linker(sources, model, log_level=logging.WARNING)


# The register persons CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS is set for: those young enough to be a
# child, whom the step scores against (`register` in DuckDB): 1,243,463 of a 4M-person extract at 1M
# children. Against more, a slice holds proportionally fewer records.
CHUNK_REGISTER_PERSONS = 1_250_000


def chunks(records: int, register_persons: int) -> int:
    """How many slices of the records Splink scores one after another against the whole register.

    The blocking rules are national, so a slice's candidate pairs grow with its records times the
    register's persons (those young enough to be a child): a slice holds at most
    CHILD_WAREHOUSE_LINKAGE_CHUNK_RECORDS records against up to 1.25M of them, proportionally fewer
    against more (at 4M children, 4,973,028 persons: a quarter as many; with 200,000 records a slice
    there, the candidate pairs spilled past 40 GB of disk); never fewer than two slices. A slice's
    candidate pairs then fit DuckDB's memory limit, or spill a bounded amount, and in chunked
    prediction Splink's DuckDB backend scores each slice from only the records and register persons
    its blocked pairs name (`predict_from_blocked_pairs_with_source_pruning`), not the whole
    register, which an unsliced prediction holds in memory even for a night of a few thousand
    records (docs/linkage.md). Every pair is scored in exactly one slice, so the links do
    not change."""
    from child_warehouse import settings as config

    larger = max(1.0, register_persons / CHUNK_REGISTER_PERSONS)
    return max(2, math.ceil(records * larger / config.linkage_chunk_records()))


def score(con) -> int:
    """Predict with the saved model and keep each record's best candidate in `best`."""
    ((records,),) = con.execute("select count(*) from records").fetchall()
    ((persons,),) = con.execute("select count(*) from register").fetchall()
    slices = chunks(records, persons)
    log.info("Scoring %d records in %d slices against the register's %d persons", records, slices, persons)
    predictions = linker(con).inference.predict(
        threshold_match_probability=REVIEW / 2, num_chunks_left=slices, num_chunks_right=1
    )
    con.execute(
        "create or replace table predictions as select * from query_table(?)", [predictions.physical_name]
    )
    con.execute(f"create or replace table best as {best_candidates_sql()}")
    return con.execute("select count(*) from best").fetchone()[0]


def score_to_csv(records_csv: Path, register_csv: Path, folder: Path) -> tuple[Path, int]:
    """Each record's best candidate, scored by the configured backend (CHILD_WAREHOUSE_LINKAGE_BACKEND),
    written to `best.csv` in `folder` (record_uid, personal_id, match_probability, outcome; no header)."""
    from child_warehouse import settings as config

    best_csv = folder / "best.csv"
    if config.linkage_backend() == "spark":
        from child_warehouse.linkage import spark

        session = spark.session(folder)
        try:
            return best_csv, spark.score(session, records_csv, register_csv, best_csv)
        finally:
            session.stop()
    con = connect_duckdb(folder)
    try:
        load_into_duckdb(con, records_csv, register_csv)
        candidates = score(con)
        con.execute(f"copy best to '{best_csv}' (header false)")
    finally:
        con.close()
    return best_csv, candidates


def export(
    conn, submission_ids: list[int], folder: Path, unlinked_only: bool = True
) -> tuple[Path, Path, int]:
    """Records (those left unlinked, or all) and the register's possible children, as CSV files."""
    records_csv, register_csv = folder / "records.csv", folder / "register.csv"
    params = {"submissions": submission_ids, "unlinked_only": unlinked_only}
    count = features.export_csv(conn, features.RECORDS_SQL, params, records_csv)
    export_register(conn, born_after(conn, submission_ids), register_csv)
    return records_csv, register_csv, count


def born_after(conn, submission_ids: list[int]):
    """The register window's start for these submissions (features.BORN_AFTER_SQL)."""
    with conn.cursor() as cur:
        cur.execute(features.BORN_AFTER_SQL, {"submissions": submission_ids})
        return cur.fetchone()[0]


def export_register(conn, born_after_date, register_csv: Path) -> int:
    """The register's possible children (born after `born_after_date`) as a CSV file."""
    return features.export_csv(conn, features.REGISTER_SQL, {"born_after": born_after_date}, register_csv)


# The record's key is read from its uid once, into `best` (analysed once filled), and the statements
# join on it: a join on the uid itself computed it for every link ever made (1.9 s of 2.7 s for
# 53,588 records at 1M children). Not bounded by the night's submission IDs as well: while the
# links' statistics predated them, the planner took that bound for one row and looped over `best`
# for each of the night's 97,000 links (an incremental night at 1M stopped there for minutes).
MERGE_SQL = """
create temporary table best (record_uid text, personal_id text, match_probability double precision,
                             outcome text,
                             submission_id bigint generated always as
                                 (split_part(record_uid, ':', 1)::bigint) stored,
                             source_row integer generated always as
                                 (split_part(record_uid, ':', 2)::integer) stored) on commit drop;
{copy}
-- One person, two records of one file that are not the same entry twice (a twin the register
-- lacks, a sibling given the person's ID): the record already linked, or the likelier one, keeps
-- the person; the other goes to a reviewer. A duplicate entry (same name and birth date) keeps its link.
create temporary table claims on commit drop as
select b.record_uid, b.personal_id, b.match_probability, r.submission_id, r.source_row,
       util.vn_name_folded(r.full_name) as name, r.date_of_birth
from best as b
join raw.child_records as r on r.submission_id = b.submission_id and r.source_row = b.source_row
where b.outcome = 'probabilistic';
create temporary table contested on commit drop as
select c.record_uid from claims as c
join links.child_links as l
    on l.submission_id = c.submission_id and l.personal_id = c.personal_id and l.source_row <> c.source_row
join raw.child_records as r on (r.submission_id, r.source_row) = (l.submission_id, l.source_row)
where (util.vn_name_folded(r.full_name), r.date_of_birth) is distinct from (c.name, c.date_of_birth)
union
select c.record_uid from claims as c
join claims as o
    on o.submission_id = c.submission_id and o.personal_id = c.personal_id
   and (o.match_probability, o.record_uid) > (c.match_probability, c.record_uid)
where (o.name, o.date_of_birth) is distinct from (c.name, c.date_of_birth);
update best set outcome = 'review' where record_uid in (select record_uid from contested);
update links.child_links as l
set personal_id = b.personal_id, method = 'probabilistic', match_probability = b.match_probability,
    model_version = %(model)s, linked_at = now()
from best as b
where b.outcome = 'probabilistic'
  and l.submission_id = b.submission_id and l.source_row = b.source_row;
insert into links.review_queue (submission_id, source_row, province_code, record_id,
                                candidate_personal_id, match_probability, model_version)
select l.submission_id, l.source_row, s.province_code, l.record_id, b.personal_id, b.match_probability,
       %(model)s
from best as b
join links.child_links as l on l.submission_id = b.submission_id and l.source_row = b.source_row
join ledger.submissions as s on s.submission_id = l.submission_id
where b.outcome = 'review' and l.record_id is not null
on conflict do nothing;
"""

APPLY_DECISIONS_SQL = """
update links.child_links as l
set personal_id = case when d.decision = 'match' then d.candidate_personal_id end,
    method = case when d.decision = 'match' then 'clerical' else 'none' end,
    match_probability = case when d.decision = 'match' then 1.0 end,
    flags = array_append(array_remove(l.flags, 'reviewer_rejected'),
                         case when d.decision = 'non_match' then 'reviewer_rejected' end)
from links.review_decisions as d, ledger.submissions as s
where s.submission_id = l.submission_id and l.submission_id = any(%(submissions)s)
  and d.province_code = s.province_code and d.record_id = l.record_id
  and (d.decision = 'match' or d.candidate_personal_id = l.personal_id)
"""


def _write_back(conn, submission_ids: list[int], best_csv: Path | None, key: dict) -> int:
    """Tonight's and the kept decisions into the links and the review queue; returns how many
    records have a candidate."""
    with conn.cursor() as cur:
        cur.execute("delete from links.review_queue where submission_id = any(%s)", (submission_ids,))
        statements = MERGE_SQL.split("{copy}")
        cur.execute(statements[0])
        if best_csv is not None:
            with best_csv.open(encoding="utf-8") as handle:
                cur.copy_expert(
                    "copy best (record_uid, personal_id, match_probability, outcome) from stdin "
                    "with (format csv)",
                    handle,
                )
        cur.execute(KEEP_SCORES_SQL, key)
        cur.execute("analyze best")
        cur.execute("select count(*) from best")
        (candidates,) = cur.fetchone()
        cur.execute(statements[1], {"model": MODEL_VERSION})
        cur.execute(APPLY_DECISIONS_SQL, {"submissions": submission_ids})
    return candidates


# The night's unlinked records with their features (features.RECORDS_SQL), the key of the decision
# for those features (an MD5 of the features Splink compares, the register extract and window and the
# model), and whether that decision was made before.
STAGE_SQL = sql.SQL("""
create temporary table night_features on commit drop as
select r.*, exists (select from links.scored_features as s where s.decision_key = r.decision_key) as known
from (
    -- OFFSET 0: each feature computed once a row (flattened, the expressions ran again in the MD5)
    select r.*,
           md5(row(%(extract_id)s, %(born_after)s, %(model)s, {compared})::text)::uuid as decision_key
    from (select * from ({records}) as r offset 0) as r
    offset 0
) as r
""").format(
    compared=sql.SQL(", ").join(sql.Identifier(column) for column in features.COLUMNS[1:]),
    records=features.RECORDS_SQL,
)

TO_SCORE_SQL = sql.SQL("select {columns} from night_features where not known").format(
    columns=sql.SQL(", ").join(sql.Identifier(column) for column in features.COLUMNS)
)

# Tonight's decisions kept for the features scored tonight (Splink's own outcome: before a contested
# claim is sent to review, which depends on the file, not on the features); then the decisions kept
# from before for the records not scored tonight.
KEEP_SCORES_SQL = """
insert into links.scored_features (decision_key, extract_id, born_after, model_digest, personal_id,
                                   match_probability, outcome)
select n.decision_key, %(extract_id)s, %(born_after)s, %(model)s, b.personal_id, b.match_probability,
       b.outcome
from night_features as n
left join best as b on b.record_uid = n.uid
where not n.known
on conflict do nothing;  -- records with the same features: the same decision, kept once
insert into best (record_uid, personal_id, match_probability, outcome)
select n.uid, s.personal_id, s.match_probability, s.outcome
from night_features as n
join links.scored_features as s on s.decision_key = n.decision_key
where n.known and s.personal_id is not null;
"""


def scoring(conn, submission_ids: list[int]) -> dict:
    """What a record's decision depends on besides its features: the register extract loaded, the
    register window (persons born after the night's earliest period's end less 18 years) and the
    model with its thresholds. Decisions made against another extract or with another model are
    deleted; those of another window stay (a night with a late file of an earlier period has a wider
    one, and the nights after it the usual one again)."""
    digest = hashlib.sha256(model_path().read_bytes())
    digest.update(f"{best_candidates_sql()} {REVIEW / 2}".encode())
    with conn.cursor() as cur:
        cur.execute("select coalesce(max(extract_id), 0) from register.extracts")
        (extract_id,) = cur.fetchone()
        key = {
            "extract_id": extract_id,
            "born_after": born_after(conn, submission_ids).date(),
            "model": f"{MODEL_VERSION} {digest.hexdigest()[:16]}",
        }
        cur.execute(
            "delete from links.scored_features "
            "where extract_id <> %(extract_id)s or model_digest <> %(model)s",
            key,
        )
    return key


def _stage(conn, submission_ids: list[int], key: dict, records_csv: Path) -> tuple[int, int]:
    """Stage the night's unlinked records; write those to score to `records_csv`. Returns how many
    records are unlinked and how many of them are to be scored."""
    with conn.cursor() as cur:
        cur.execute(STAGE_SQL, {"submissions": submission_ids, "unlinked_only": True, **key})
        cur.execute("select count(*), count(*) filter (where not known) from night_features")
        unlinked, to_score = cur.fetchone()
    if to_score:
        features.export_csv(conn, TO_SCORE_SQL, {}, records_csv)
    return unlinked, to_score


def link_probabilistically(submission_ids: list[int], url: str | None = None) -> int:
    """Score what deterministic linkage left unlinked (the records whose features were not decided
    before with this extract, window and model); returns how many records have a candidate."""
    if not submission_ids:
        return 0
    with tempfile.TemporaryDirectory(prefix="cw-linkage-") as tmp, transaction(url) as conn:
        folder = Path(tmp)
        key = scoring(conn, submission_ids)
        records_csv, register_csv = folder / "records.csv", folder / "register.csv"
        unlinked, to_score = _stage(conn, submission_ids, key, records_csv)
        if unlinked == 0:
            with conn.cursor() as cur:
                cur.execute(APPLY_DECISIONS_SQL, {"submissions": submission_ids})
            return 0
        best_csv = None
        if to_score:
            export_register(conn, key["born_after"], register_csv)
            best_csv, _ = score_to_csv(records_csv, register_csv, folder)
        candidates = _write_back(conn, submission_ids, best_csv, key)
    log.info(
        "probabilistic linkage: %d of %d unlinked records have a candidate (%d scored now, %d decided "
        "before with the same features, register extract and model)",
        candidates,
        unlinked,
        to_score,
        unlinked - to_score,
    )
    return candidates
