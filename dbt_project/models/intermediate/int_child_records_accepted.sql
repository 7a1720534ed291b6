-- Rows of the current child_records submissions, less the rows validation marked as errors.
-- A record_id repeated within a file keeps its first row only (validation reports the repeat).
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

records_without_errors as (

    select
        child_records.*,
        current_submissions.province_code,
        current_submissions.period,
        current_submissions.period_end_date,
        row_number() over (
            partition by child_records.submission_id, child_records.record_id
            order by child_records.source_row
        ) as record_occurrence

    from child_records
    inner join current_submissions
        on child_records.submission_id = current_submissions.submission_id
    left join rows_with_errors
        on
            child_records.submission_id = rows_with_errors.submission_id
            and child_records.source_row = rows_with_errors.source_row
    where
        rows_with_errors.source_row is null
        and child_records.record_id is not null

),

final as (

    select
        submission_id,
        source_row,
        province_code,
        period,
        period_end_date,
        record_id,
        commune_code,
        birth_date,
        extract(year from age(period_end_date, birth_date))::int as age_years_at_period_end,
        sex,
        ethnicity_code,
        personal_id,
        has_malformed_personal_id,
        household_poverty,
        special_circumstance_codes,
        cardinality(special_circumstance_codes) > 0 as has_special_circumstance,
        is_at_risk,
        is_supported,
        support_type_codes,
        has_disability,
        has_health_insurance,
        is_birth_registered,
        record_status,
        record_status = 'dang_quan_ly' as is_active,
        record_updated_date

    from records_without_errors
    where record_occurrence = 1

)

select * from final
