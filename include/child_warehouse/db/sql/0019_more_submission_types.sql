-- Three more submission types (submission contract §3.4–3.6): the child-friendly commune assessment,
-- the national hotline 111's monthly figures and the provinces' programme activities. Raw layer as
-- the first three: what was sent, as text, with the row number the officer sees. The hotline's files
-- come from the `national` folder: their ledger rows carry province_code 'national'.
create table raw.commune_assessment (
    submission_id bigint not null references ledger.submissions,
    source_row integer not null,
    commune_code text,
    commune_type text,
    criterion_01 text,
    criterion_02 text,
    criterion_03 text,
    criterion_04 text,
    criterion_05 text,
    criterion_06 text,
    criterion_07 text,
    criterion_08 text,
    criterion_09 text,
    criterion_10 text,
    criterion_11 text,
    criterion_12 text,
    criterion_13 text,
    total_score text,
    recognised text,
    decision_no text,
    extra_columns jsonb,
    primary key (submission_id, source_row)
);

create table raw.hotline_calls (
    submission_id bigint not null references ledger.submissions,
    source_row integer not null,
    province_code text,
    channel text,
    topic text,
    calls text,
    counselling_calls text,
    referrals text,
    interventions text,
    extra_columns jsonb,
    primary key (submission_id, source_row)
);

create table raw.programme_activities (
    submission_id bigint not null references ledger.submissions,
    source_row integer not null,
    activity_type text,
    commune_code text,
    activities text,
    children_reached text,
    spending_vnd text,
    note text,
    extra_columns jsonb,
    primary key (submission_id, source_row)
);

-- The assessment's scoring rules (Decision 06/2019/QĐ-TTg; the per-criterion maximum and the minimum
-- totals are assumed, see reference/SOURCES.md), loaded from db/reference/ like the other lists.
create table if not exists reference.commune_assessment_rules (
    commune_type text, name_vi text, name_en text, criterion_max integer, min_total integer,
    -- the reference file's own column name, as in the shared reference folder
    source text  -- noqa: RF04
);
grant select on reference.commune_assessment_rules to loader, transformer, analyst_national, analyst_province,
linker;

-- As 0015 for the first three: the loader writes and owns them, the transformer reads them.
grant select, insert, update, delete on raw.commune_assessment, raw.hotline_calls to loader;
grant select, insert, update, delete on raw.programme_activities to loader;
alter table raw.commune_assessment owner to loader;
alter table raw.hotline_calls owner to loader;
alter table raw.programme_activities owner to loader;
grant select on raw.commune_assessment, raw.hotline_calls, raw.programme_activities to transformer;
