-- Least privilege for the pipeline itself: each stage connects as a login in one of these groups
-- (child_warehouse.db.roles makes the logins), never as the superuser, who only migrates.
--   loader       ingest, validation, feedback, the run summary and alerts: writes the ledger, raw.*,
--                dq.* and ops.province_runs; reads links only to count them; no register, no marts
--   linker       linkage: reads the register, accepted child records and the ledger; writes links.*
--                and only its own progress columns of the ledger
--   registrar    loads the population register extract (register.*), nothing else
--   transformer  dbt: reads the sources, owns the schemas it builds (staging, intermediate, core,
--                marts); reads every mart row through the RLS policy made for it, bypasses nothing
-- No group has BYPASSRLS. Grants are per table; a table a later migration adds is granted there.
do $$
begin
    if not exists (select from pg_roles where rolname = 'linker') then
        create role linker nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'registrar') then
        create role registrar nologin;
    end if;
end
$$;

-- loader: what 0002 gave it, less the register, links and the bookkeeping of ops
revoke all on all tables in schema register, links from loader;
revoke usage on schema register from loader;
revoke all on ops.schema_migrations, ops.analyst_provinces from loader;
grant select on links.child_links, links.review_queue to loader;
grant select, insert, update, delete on ledger.submissions, raw.child_records to loader;
grant select, insert, update, delete on raw.protection_cases, raw.indicator_report to loader;
grant select, insert, update, delete on dq.rule_results, dq.row_issues, ops.province_runs to loader;
grant usage on all sequences in schema ledger, raw, dq, ops to loader;
-- ...and owns the raw tables, so validation may analyse a table it has just filled (PostgreSQL 15
-- lets only the owner); the transformer's and linker's grants on them stay.
alter table raw.child_records owner to loader;
alter table raw.protection_cases owner to loader;
alter table raw.indicator_report owner to loader;

-- linker
grant usage on schema register, links, ledger, raw, util, reference to linker;
grant select on register.persons, register.person_features to linker;
grant select, insert, update, delete on links.child_links, links.review_queue to linker;
grant select on links.review_decisions to linker;
grant select on ledger.submissions, raw.child_records to linker;
grant update (linked_at, matched_at, processed_run_id) on ledger.submissions to linker;
grant select on all tables in schema reference to linker;

-- registrar: owns the register's tables, since replacing an extract truncates and analyses them
grant usage on schema register, util to registrar;
alter table register.persons owner to registrar;
alter table register.person_features owner to registrar;

-- transformer: read-only on every source, owner of dbt's schemas (created here, so dbt never needs
-- to create a schema in the database) and of whatever an earlier dbt run made in them as another role
revoke all on ops.schema_migrations from transformer;
grant usage on schema ledger, raw, dq, links, ops, reference, util to transformer;
grant select on ledger.submissions, raw.child_records to transformer;
grant select on raw.protection_cases, raw.indicator_report to transformer;
grant select on dq.rule_results, dq.row_issues, ops.province_runs to transformer;
grant select on links.child_links, links.review_queue, links.review_decisions to transformer;
do $$
declare
    schema_name text;
    relation record;
begin
    foreach schema_name in array array['staging', 'intermediate', 'core', 'marts'] loop
        execute format('create schema if not exists %I', schema_name);
        execute format('alter schema %I owner to transformer', schema_name);
        for relation in
            select c.relname, c.relkind from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
            where n.nspname = schema_name and c.relkind in ('r', 'v', 'm', 'p')
        loop
            execute format(
                'alter %s %I.%I owner to transformer',
                case relation.relkind when 'v' then 'view' when 'm' then 'materialized view' else 'table' end,
                schema_name, relation.relname
            );
        end loop;
    end loop;
end
$$;
