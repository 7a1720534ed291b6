-- raw.child_records and links.child_links hold one row per child record (about a million each at 1M
-- children) and are written a file or a night at a time. PostgreSQL checks a foreign key row by row
-- (one lookup and lock of the ledger row per inserted row): measured at 1M children, 3.3 µs a row,
-- about 3 s of link by ID's 11 s and 2 s of the child-record CSV ingest. The same rule, that every
-- row names a submission in the ledger, is now checked once per statement over the rows it wrote:
--   * after an insert, the statement's submission IDs (its transition table) must all be in
--     ledger.submissions, which are locked FOR KEY SHARE as a foreign key locks them, so none can be
--     deleted or rekeyed until the writer's transaction ends; otherwise the insert fails with the
--     foreign key's error code (23503);
--   * a row's submission_id never changes (the pipeline never does it): an update that changes it
--     is refused;
--   * a submission a row still names cannot be deleted or rekeyed in the ledger (the foreign key's
--     NO ACTION, checked per ledger row: a handful a night).
-- Not covered, as a foreign key would: TRUNCATE of ledger.submissions without these tables (only
-- the ledger's owner may truncate it; no pipeline role can).
-- The dbt catalogue test on the two sources (dbt_project/tests/generic/referenced_per_statement.sql)
-- fails if a migration ever drops or disables one of these triggers. The two functions that read
-- other roles' tables run as their owner (security definer, a fixed search_path); PostgreSQL calls a
-- trigger function only as a trigger, so no role can call them to read anything.

create function util.submissions_referenced() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    named bigint[];
    missing bigint;
begin
    select array_agg(distinct r.submission_id) into named from new_rows as r;
    if named is null then
        return null;
    end if;
    perform from ledger.submissions as s where s.submission_id = any(named) for key share of s;
    select n into missing
    from unnest(named) as n
    where not exists (select from ledger.submissions as s where s.submission_id = n)
    limit 1;
    if missing is not null then
        raise foreign_key_violation using
            message = format(
                'insert on table "%s.%s" names a submission that is not in the ledger',
                tg_table_schema, tg_table_name
            ),
            detail = format('Key (submission_id)=(%s) is not present in table "ledger.submissions".', missing),
            schema = tg_table_schema,
            table = tg_table_name;
    end if;
    return null;
end
$$;

create function util.submission_id_is_fixed() returns trigger
language plpgsql
as $$
begin
    raise foreign_key_violation using
        message = format('the submission_id of a row of "%s.%s" never changes', tg_table_schema, tg_table_name),
        detail = format('Key (submission_id)=(%s) would become (%s).', old.submission_id, new.submission_id),
        schema = tg_table_schema,
        table = tg_table_name;
end
$$;

create function util.submission_still_referenced() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    referencing text;
begin
    if tg_op = 'UPDATE' and new.submission_id = old.submission_id then
        return new;
    end if;
    if exists (select from raw.child_records as r where r.submission_id = old.submission_id) then
        referencing := 'raw.child_records';
    elsif exists (select from links.child_links as l where l.submission_id = old.submission_id) then
        referencing := 'links.child_links';
    end if;
    if referencing is not null then
        raise foreign_key_violation using
            message = format(
                '%s on table "ledger.submissions" would leave rows of "%s" naming no submission',
                lower(tg_op), referencing
            ),
            detail = format('Key (submission_id)=(%s) is still referenced from table "%s".',
                            old.submission_id, referencing),
            schema = 'ledger',
            table = 'submissions';
    end if;
    return case when tg_op = 'DELETE' then old else new end;
end
$$;

alter table raw.child_records drop constraint child_records_submission_id_fkey;
alter table links.child_links drop constraint child_links_submission_id_fkey;

do $$
declare
    table_name text;
begin
    foreach table_name in array array['raw.child_records', 'links.child_links']
    loop
        execute format(
            'create trigger references_submissions after insert on %s '
            'referencing new table as new_rows '
            'for each statement execute function util.submissions_referenced()', table_name
        );
        execute format(
            'create trigger submission_id_is_fixed before update of submission_id on %s '
            'for each row when (old.submission_id is distinct from new.submission_id) '
            'execute function util.submission_id_is_fixed()', table_name
        );
    end loop;
end
$$;

create trigger still_referenced before delete or update of submission_id on ledger.submissions
for each row execute function util.submission_still_referenced();
