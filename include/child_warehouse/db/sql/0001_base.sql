-- Base warehouse layout: the tables dbt does not own (ledger, raw, dq, register, links, ops).
-- Applied once by child_warehouse.db.migrations; each file runs in one transaction.

create schema if not exists ledger;
create schema if not exists raw;
create schema if not exists dq;
create schema if not exists register;
create schema if not exists links;
create schema if not exists ops;

-- Every file ever seen, identified by its content hash within (province, period, type);
-- versions order resubmissions.
create table ledger.submissions (
    submission_id     bigint generated always as identity primary key,
    province_code     text,       -- null only when the path itself could not be read
    period            text,
    submission_type   text,
    file_uri          text        not null,
    file_name         text        not null,
    size_bytes        bigint      not null,
    sha256            text        not null,
    arrived_at        timestamptz not null,
    discovered_at     timestamptz not null default now(),
    version           integer,    -- 1, 2, ... per (province, period, type); null when rejected on path
    status            text        not null default 'discovered'
        check (status in ('discovered', 'loaded', 'load_failed', 'rejected',
                          'accepted', 'accepted_with_warnings')),
    reason_vi         text,
    reason_en         text,
    rows_in_file      integer,
    rows_with_errors  integer,
    rows_with_warnings integer,
    loaded_at         timestamptz,
    validated_at      timestamptz,
    discovered_run_id text,
    processed_run_id  text,
    unique (province_code, period, submission_type, version),
    -- The same bytes are the same submission only for the same province, period and type: two
    -- provinces' header-only nil returns are identical files and both count.
    unique nulls not distinct (province_code, period, submission_type, sha256)
);
create index submissions_province_status on ledger.submissions (province_code, status);

-- One row per nightly run and province: what was found, loaded, rejected, linked; the outcome.
create table ops.province_runs (
    run_id            text        not null,
    province_code     text        not null,
    started_at        timestamptz not null default now(),
    finished_at       timestamptz,
    files_found       integer     not null default 0,
    files_loaded      integer     not null default 0,
    files_rejected    integer     not null default 0,
    rows_loaded       integer     not null default 0,
    rows_with_errors  integer     not null default 0,
    records_linked    integer     not null default 0,
    records_unlinked  integer     not null default 0,
    outcome           text,
    primary key (run_id, province_code)
);

-- Raw layer: what the province sent, as text, with the row number the officer sees in the file.
create table raw.child_records (
    submission_id          bigint  not null references ledger.submissions,
    source_row             integer not null,
    record_id              text,
    commune_code           text,
    full_name              text,
    date_of_birth          text,
    sex                    text,
    ethnicity_code         text,
    personal_id            text,
    caregiver_name         text,
    caregiver_personal_id  text,
    household_poverty      text,
    special_circumstances  text,
    at_risk                text,
    supported              text,
    support_types          text,
    has_disability         text,
    has_health_insurance   text,
    birth_registered       text,
    record_status          text,
    updated_on             text,
    extra_columns          jsonb,
    primary key (submission_id, source_row)
);

create table raw.protection_cases (
    submission_id        bigint  not null references ledger.submissions,
    source_row           integer not null,
    case_id              text,
    record_id            text,
    full_name            text,
    date_of_birth        text,
    sex                  text,
    personal_id          text,
    commune_code         text,
    case_type            text,
    occurred_on          text,
    detected_on          text,
    outcome              text,
    intervention_status  text,
    intervened_on        text,
    referred_to          text,
    extra_columns        jsonb,
    primary key (submission_id, source_row)
);

-- Long form; the XLSX form's Tổng số/Nam/Nữ columns become disaggregations of the same source row.
create table raw.indicator_report (
    submission_id    bigint  not null references ledger.submissions,
    source_row       integer not null,
    indicator_code   text,
    disaggregation   text    not null default 'total',
    value            text,
    note             text,
    extra_columns    jsonb,
    primary key (submission_id, source_row, disaggregation)
);

-- Validation: per submission and rule, and per rejected or warned row.
create table dq.rule_results (
    submission_id   bigint  not null references ledger.submissions,
    rule            text    not null,
    column_name     text,
    severity        text    not null check (severity in ('error', 'warning')),
    rows_checked    integer not null,
    rows_failing    integer not null,
    examples        jsonb,
    validated_at    timestamptz not null default now(),
    primary key (submission_id, rule)
);

create table dq.row_issues (
    submission_id   bigint  not null references ledger.submissions,
    source_row      integer,
    column_name     text,
    value           text,
    rule            text    not null,
    severity        text    not null check (severity in ('error', 'warning')),
    reason_vi       text    not null,
    reason_en       text    not null
);
create index row_issues_submission on dq.row_issues (submission_id, severity);

-- Population register extract (restricted: linkage only).
create table register.persons (
    personal_id          text primary key,
    full_name            text not null,
    date_of_birth        date not null,
    sex                  text not null check (sex in ('male', 'female')),
    ethnicity_code       text,
    birth_province_code  text,
    commune_code         text,
    mother_personal_id   text,
    father_personal_id   text,
    date_of_death        date,
    extract_date         date
);

-- Links: one row per raw child record and link attempt result.
create table links.child_links (
    submission_id     bigint  not null references ledger.submissions,
    source_row        integer not null,
    record_id         text,
    personal_id       text,
    method            text    not null check (method in ('deterministic_id', 'probabilistic', 'clerical', 'none')),
    match_probability double precision,
    model_version     text,
    flags             text[],
    linked_at         timestamptz not null default now(),
    primary key (submission_id, source_row)
);
