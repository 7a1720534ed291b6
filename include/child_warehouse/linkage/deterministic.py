"""Deterministic linkage: a well-formed personal ID found in the register whose person agrees.

Agreement allows the usual clerical errors: the birth date exactly, or with day and month
swapped. An ID that exists but disagrees, or a malformed ID, is left unlinked with a flag, for
probabilistic matching to pick up.
"""

from __future__ import annotations

import logging

from child_warehouse import ledger
from child_warehouse.db.connection import transaction

log = logging.getLogger(__name__)

# Two statements, because PostgreSQL runs no part of an INSERT ... SELECT in parallel and does run
# a CREATE TABLE AS's query in parallel: the join to the register and the parsing of every record
# (its ID, birth date and sex, most of the work) go into a temporary table of facts, ordered as the
# links' key is; the INSERT then only reads those facts. Measured on a 1.39M-record warehouse, in
# rolled-back transactions on two cores: 12.4 s as one INSERT ... SELECT, 7.1-8.7 s in two steps.
# The birth date is parsed once where the register has the ID (its swapped reading only when the
# date does not agree as written).
LINK_FACTS_SQL = """
create temporary table id_link_facts on commit drop as
select r.submission_id, r.source_row, r.record_id,
       nullif(btrim(r.personal_id), '') is not null as has_id_text,
       -- an ID the register has was well formed: parsed again only when the join found nothing
       p.personal_id is not null or util.parse_personal_id(r.personal_id) is not null as id_well_formed,
       p.personal_id as register_id,
       case when p.personal_id is not null then
           p.date_of_birth = util.parse_vn_date(r.date_of_birth)
           or (extract(day from p.date_of_birth) = extract(month from util.parse_vn_date(r.date_of_birth))
               and extract(month from p.date_of_birth) = extract(day from util.parse_vn_date(r.date_of_birth))
               and extract(year from p.date_of_birth)
                   = extract(year from util.parse_vn_date(r.date_of_birth)))
       end as birth_date_agrees,
       case when p.personal_id is not null then p.sex = util.parse_sex(r.sex) end as sex_agrees
from raw.child_records as r
left join register.persons as p on p.personal_id = util.parse_personal_id(r.personal_id)
where r.submission_id = any(%(submissions)s)
order by r.submission_id, r.source_row
"""

# In the facts' order (a new table's rows are read as written), so the key's index grows at its end
LINK_SQL = """
with facts as (
    select *, coalesce(birth_date_agrees and sex_agrees, false) as agrees from id_link_facts
)
insert into links.child_links (submission_id, source_row, record_id, personal_id, method,
                               match_probability, model_version, flags)
select submission_id, source_row, record_id,
       case when agrees then register_id end,
       case when agrees then 'deterministic_id' else 'none' end,
       case when agrees then 1.0 end,
       'deterministic-v1',
       array_remove(array[
           case when has_id_text and not id_well_formed then 'malformed_id' end,
           case when id_well_formed and register_id is null then 'id_not_in_register' end,
           case when register_id is not null and not coalesce(birth_date_agrees, false)
                then 'birth_date_disagrees' end,
           case when register_id is not null and not coalesce(sex_agrees, false) then 'sex_disagrees' end,
           case when not has_id_text then 'no_id' end
       ], null)
from facts
"""

COUNTS_SQL = """
select count(*) filter (where coalesce(birth_date_agrees and sex_agrees, false)),
       count(*) filter (where not coalesce(birth_date_agrees and sex_agrees, false))
from id_link_facts
"""


def link_submissions(
    submission_ids: list[int], url: str | None = None, run_id: str | None = None
) -> dict[str, int]:
    """Replace the links of these submissions in one transaction (and mark them linked by ID in the
    ledger, in the same transaction); count linked and unlinked."""
    if not submission_ids:
        return {"records_linked": 0, "records_unlinked": 0}
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute("set local jit = off")  # compiling the plan cost more than it saved, at 1M records
        cur.execute("delete from links.child_links where submission_id = any(%s)", (submission_ids,))
        cur.execute(LINK_FACTS_SQL, {"submissions": submission_ids})
        cur.execute(LINK_SQL)
        cur.execute(COUNTS_SQL)
        linked, unlinked = cur.fetchone()
        ledger.record_linked(conn, submission_ids, run_id)
    return {"records_linked": linked, "records_unlinked": unlinked}


def refresh_link_statistics(url: str | None = None, *, linked_now: bool = False) -> bool:
    """Analyse links.child_links when the caller linked files, or when any of its rows changed since
    its statistics were taken (a night killed between the links and this); returns whether it did.

    Each linking step (by ID, then probabilistic) ends with it: the next step and dbt's incremental
    models select the night's new submissions from the links, and autovacuum waits for 10 % of the
    table to change. Two provinces' resubmission at 1M is 8 %, and the planner, whose statistics knew
    no such submission IDs, looped over tens of thousands of rows (int_child_records_linked: 495 s,
    2 s with the table analysed). The linker owns the table (migration 0020); the analysis samples
    30,000 rows whatever the size."""
    with transaction(url) as conn, conn.cursor() as cur:
        cur.execute(
            """select n_mod_since_analyze > 0 from pg_stat_user_tables
               where relid = 'links.child_links'::regclass"""
        )
        changed = cur.fetchone()
        if not (linked_now or (changed and changed[0])):
            return False
        cur.execute("analyze links.child_links")
    log.info("analysed links.child_links")
    return True


def link_pending(
    run_id: str | None = None, url: str | None = None, province_code: str | None = None
) -> dict[str, int]:
    """Link by personal ID the child records of every accepted file not linked yet (validated in this
    run, or left by a run that died before linking them), all provinces in one transaction: the
    register is read once a night, not once per province. `province_code`: that province's only."""
    with transaction(url) as conn:
        submissions = ledger.to_link_by_id(conn, province_code)
    outcome = link_submissions(submissions, url, run_id)
    refresh_link_statistics(url, linked_now=bool(submissions))
    return outcome
