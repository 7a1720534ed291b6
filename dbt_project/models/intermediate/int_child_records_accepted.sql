{{
    config(
        materialized='incremental',
        unique_key='submission_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook=["{{ delete_rows_of_other_versions(child_record_source_versions(), 'source_version') }}"],
        post_hook=[
            "{{ enforce_key('primary_key', ['province_code', 'period', 'record_id']) }}",
            "{{ enforce_key('unique', ['submission_id', 'source_row']) }}",
        ]
    )
}}
{%- set to_rebuild = (
    submissions_to_rebuild(child_record_source_versions(), 'source_version') if is_incremental() else []
) %}
-- Rows of the current child_records submissions, less the rows validation marked as errors.
-- A record_id repeated within a file keeps its first row only (validation reports the repeat). The
-- Article 10 groups and the ethnic group, read as keys in staging, are looked up in the reference
-- lists here: an Article 10 item that names no group is left out (validation reported it). An
-- empty yes/no cell is false where the file uses the contract's x/empty pair in that column
-- (empty_means_no in the ledger), else null ("not stated").
--
-- Incremental by submission: a night builds only the current submissions whose rows are not here
-- yet or were built from an earlier validation or other reference lists (source_version, see
-- child_record_source_versions), and the pre-hook deletes every row no current version explains
-- (superseded or reopened submissions, and one whose every row is now quarantined). Both keys are
-- constraints (enforce_key), tested in the catalogue.
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'child_records'

),

child_records as (

    select * from {{ ref('stg_raw__child_records') }}

),

rows_with_errors as (

    select * from {{ ref('int_rows_quarantined') }}

),

special_circumstances as (

    select * from {{ ref('stg_reference__special_circumstances') }}

),

ethnic_groups as (

    select * from {{ ref('stg_reference__ethnic_groups') }}

),

-- Every way a province may name an Article 10 group: the law's letter or the group's number.
special_circumstance_keys as (

    select
        law_letter as circumstance_key,
        code as special_circumstance_code
    from special_circumstances
    union all
    select
        number::text as circumstance_key,
        code as special_circumstance_code
    from special_circumstances

),

-- An ethnic group is sent as its 2-digit code or its name, with or without diacritics.
ethnicity_keys as (

    select
        {{ ethnicity_key('ethnic_code') }} as ethnicity_key,
        ethnic_code
    from ethnic_groups
    union
    select
        {{ ethnicity_key('name_vi') }} as ethnicity_key,
        ethnic_code
    from ethnic_groups

),

source_versions as (

    {{ child_record_source_versions() }}

),

submissions_to_build as (

    select
        current_submissions.*,
        source_versions.source_version
    from current_submissions
    inner join source_versions
        on current_submissions.submission_id = source_versions.submission_id

),

records_without_errors as (

    select
        child_records.*,
        submissions_to_build.province_code,
        submissions_to_build.period,
        submissions_to_build.period_end_date,
        submissions_to_build.empty_means_no,
        submissions_to_build.source_version,
        row_number() over (
            partition by child_records.submission_id, child_records.record_id
            order by child_records.source_row
        ) as record_occurrence

    from child_records
    inner join submissions_to_build
        on child_records.submission_id = submissions_to_build.submission_id
    left join rows_with_errors
        on
            child_records.submission_id = rows_with_errors.submission_id
            and child_records.source_row = rows_with_errors.source_row
    where
        rows_with_errors.source_row is null
        and child_records.record_id is not null
        {% if is_incremental() %}
            -- A list of constants, not a join: it reaches into the staging view, which then parses
            -- only these submissions' rows.
            and child_records.submission_id in ({{ to_rebuild | join(', ') or 'null' }})
        {% endif %}

),

final as (

    select
        records_without_errors.submission_id,
        records_without_errors.source_row,
        records_without_errors.province_code,
        records_without_errors.period,
        records_without_errors.period_end_date,
        records_without_errors.record_id,
        records_without_errors.commune_code,
        records_without_errors.birth_date,
        extract(
            year from age(records_without_errors.period_end_date, records_without_errors.birth_date)
        )::int as age_years_at_period_end,
        records_without_errors.sex,
        ethnicity_keys.ethnic_code as ethnicity_code,
        records_without_errors.personal_id,
        records_without_errors.has_malformed_personal_id,
        records_without_errors.household_poverty,
        coalesce(circumstance_codes.special_circumstance_codes, '{}'::text[]) as special_circumstance_codes,
        circumstance_codes.special_circumstance_codes is not null as has_special_circumstance,
        {{ yes_no_as_meant('at_risk', 'is_at_risk') }} as is_at_risk,
        {{ yes_no_as_meant('supported', 'is_supported') }} as is_supported,
        records_without_errors.support_type_codes,
        {{ yes_no_as_meant('has_disability', 'has_disability') }} as has_disability,
        {{ yes_no_as_meant('has_health_insurance', 'has_health_insurance') }} as has_health_insurance,
        {{ yes_no_as_meant('birth_registered', 'is_birth_registered') }} as is_birth_registered,
        records_without_errors.record_status,
        records_without_errors.record_status = 'dang_quan_ly' as is_active,
        records_without_errors.record_updated_date,
        records_without_errors.source_version

    from records_without_errors
    -- Looked up row by row, not grouped and joined back: the join's estimate (a few rows for
    -- hundreds of thousands) made the planner loop over every pair.
    cross join
        lateral (
            select
                array_agg(
                    distinct special_circumstance_keys.special_circumstance_code
                    order by special_circumstance_keys.special_circumstance_code
                ) as special_circumstance_codes
            from unnest(records_without_errors.special_circumstance_keys) as item (circumstance_key)
            inner join special_circumstance_keys
                on item.circumstance_key = special_circumstance_keys.circumstance_key
        ) as circumstance_codes
    left join ethnicity_keys
        on records_without_errors.ethnicity_key = ethnicity_keys.ethnicity_key
    where records_without_errors.record_occurrence = 1

)

select * from final
