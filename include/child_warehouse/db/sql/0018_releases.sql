-- Sign-off and publication (submission contract §7). A province signs off a period by landing
-- approval.json; the department signs off nationally in Airflow (the publish_period DAG); a published
-- release is an immutable snapshot of the analyst marts for a set of periods, and a correction after
-- publication appears in the next release as a revision.
--   publisher  the publish_period DAG: reads the marts (as a member of analyst_national, so row-level
--              security holds for it too), the ledger and the sign-offs; inserts releases, their rows
--              and revisions; owns the `published` views. It may neither update nor delete a release.
do $$
begin
    if not exists (select from pg_roles where rolname = 'publisher') then
        create role publisher nologin;
    end if;
end
$$;
grant analyst_national to publisher;

-- One row per approval.json seen (by content: the same bytes again are the same sign-off). Status:
-- received (a listed file is not validated yet), approved, refused (it names contents the warehouse
-- does not hold, an older version or a rejected file), withdrawn (a later version of a listed type
-- arrived), superseded (a newer approval.json for the same province and period arrived). The
-- province's feedback workbook is written again when a decision is newer than feedback_at.
create table ledger.signoffs (
    signoff_id bigint generated always as identity primary key,
    province_code text not null,
    period text not null,
    file_uri text not null,
    sha256 text not null,
    arrived_at timestamptz not null,
    discovered_at timestamptz not null default now(),
    discovered_run_id text,
    approved_by text,
    approved_at timestamptz,
    files jsonb not null default '{}',
    submission_ids bigint[],
    status text not null default 'received'
    check (status in ('received', 'approved', 'refused', 'withdrawn', 'superseded')),
    reason_code text,
    reason_vi text,
    reason_en text,
    decided_at timestamptz,
    withdrawn_by bigint references ledger.submissions (submission_id),
    feedback_at timestamptz,
    unique (province_code, period, sha256)
);
create index signoffs_province_period on ledger.signoffs (province_code, period, status);
grant select, insert, update on ledger.signoffs to loader;
grant usage on all sequences in schema ledger to loader;
grant select on ledger.signoffs to transformer;

create schema release;
create schema published authorization publisher;

create table release.releases (
    release_id integer generated always as identity primary key,
    release_number integer not null unique,
    periods text[] not null,
    published_at timestamptz not null default now(),
    approved_by text not null,
    decision_note text,
    dag_run_id text,
    rows_published integer not null,
    content_sha256 text not null,
    reference_sha256 text not null
);

-- content_sha256: the period's rows in this release, so a night that changed nothing is not suggested
-- for publication again.
create table release.release_periods (
    release_id integer not null references release.releases (release_id),
    period text not null,
    content_sha256 text not null,
    primary key (release_id, period)
);

-- What each release was made from: the accepted file current for each province, period and type,
-- and the province's sign-off at the time. Comparing two releases' basis tells why a figure changed.
create table release.basis (
    release_id integer not null references release.releases (release_id),
    province_code text not null,
    period text not null,
    submission_type text not null,
    submission_id bigint not null,
    sha256 text not null,
    signoff_id bigint,
    primary key (release_id, province_code, period, submission_type)
);

-- Every analyst mart row of the release's periods, as it was: row_key is the mart's primary key,
-- row the whole row. jsonb keeps numerics exact and survives later changes to a mart's columns.
create table release.mart_rows (
    release_id integer not null references release.releases (release_id),
    mart text not null,
    province_code text,
    period text not null,
    row_key jsonb not null,
    row_values jsonb not null,
    primary key (release_id, mart, row_key)
);

-- A figure that differs from the previous release of its period: old and new value (null when the row
-- is new or gone), and why: resubmission (the province's files changed), boundary_change (the reference
-- lists or crosswalk changed), reprocess (same files and boundaries, derived again).
create table release.revisions (
    release_id integer not null references release.releases (release_id),
    previous_release_id integer not null references release.releases (release_id),
    mart text not null,
    province_code text,
    period text not null,
    row_key jsonb not null,
    figure text not null,
    old_value jsonb,
    new_value jsonb,
    reason text not null check (reason in ('resubmission', 'boundary_change', 'reprocess')),
    primary key (release_id, mart, row_key, figure)
);

-- Every national decision, approved or rejected, with the reviewer Airflow authenticated and what
-- the reviewer was shown.
create table release.decisions (
    decision_id integer generated always as identity primary key,
    periods text[] not null,
    decision text not null check (decision in ('approved', 'rejected', 'stale')),
    decided_by text not null,
    decided_at timestamptz not null,
    note text,
    dag_run_id text,
    candidate jsonb not null,
    release_id integer references release.releases (release_id)
);

-- Published means never changed in place: no update, delete or truncate, whoever asks.
create function release.refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception 'release.% is append-only: a published release is never changed in place (% refused)',
        tg_table_name, tg_op using errcode = '42501';
end
$$;

do $$
declare
    table_name text;
begin
    foreach table_name in array array['releases', 'release_periods', 'basis', 'mart_rows', 'revisions', 'decisions']
    loop
        execute format(
            'create trigger append_only before update or delete on release.%I '
            'for each row execute function release.refuse_change()', table_name
        );
        execute format(
            'create trigger append_only_truncate before truncate on release.%I '
            'for each statement execute function release.refuse_change()', table_name
        );
    end loop;
end
$$;

grant usage on schema release to publisher, analyst_national, analyst_province;
grant usage on schema published to analyst_national, analyst_province;
grant select, insert on all tables in schema release to publisher;
grant select on release.releases, release.release_periods, release.mart_rows, release.revisions
to analyst_national, analyst_province;
grant usage on schema ledger, reference, util to publisher;
grant select on ledger.submissions, ledger.signoffs to publisher;
grant select on all tables in schema reference to publisher;

-- Row-level security in every release, as on the marts: a provincial analyst reads its own province.
do $$
declare
    table_name text;
begin
    foreach table_name in array array['mart_rows', 'revisions'] loop
        execute format('alter table release.%I enable row level security', table_name);
        execute format('alter table release.%I force row level security', table_name);
        execute format(
            'create policy national_reads_all on release.%I for select to analyst_national using (true)',
            table_name
        );
        execute format(
            'create policy province_reads_own on release.%I for select to analyst_province '
            'using (util.analyst_can_see(current_user::text, province_code, period))', table_name
        );
        execute format(
            'create policy publisher_appends on release.%I for insert to publisher with check (true)',
            table_name
        );
    end loop;
end
$$;

-- The published views (made by the publisher at each release) are readable by both analyst groups;
-- they are security_invoker views, so the row-level security above decides which rows.
alter default privileges for role publisher in schema published
grant select on tables to analyst_national, analyst_province;
