-- Rows of the current programme_activities submissions, less the rows validation marked as errors.
-- Rows are not keyed: two rows of the same activity type are two lines of the province's report.
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'programme_activities'

),

typed_rows as (

    select * from {{ ref('stg_raw__programme_activities') }}

),

rows_with_errors as (

    select * from {{ ref('int_rows_quarantined') }}

),

rows_without_errors as (

    select
        typed_rows.*,
        current_submissions.province_code,
        current_submissions.period,
        current_submissions.period_end_date

    from typed_rows
    inner join current_submissions
        on typed_rows.submission_id = current_submissions.submission_id
    left join rows_with_errors
        on
            typed_rows.submission_id = rows_with_errors.submission_id
            and typed_rows.source_row = rows_with_errors.source_row
    where
        rows_with_errors.source_row is null
        and typed_rows.activity_type is not null

),

final as (

    select
        submission_id,
        source_row,
        province_code,
        period,
        period_end_date,
        activity_type,
        commune_code,
        activities,
        children_reached,
        spending_vnd,
        note

    from rows_without_errors

)

select * from final
