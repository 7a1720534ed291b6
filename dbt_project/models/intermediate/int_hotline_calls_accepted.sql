-- Rows of the current hotline_calls submissions (the national folder's: province_code is 'national', the
-- caller's province is caller_province_code), less the rows validation marked as errors.
-- A key repeated within a file keeps its first row only (validation reports the repeat as an error).
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'hotline_calls'

),

typed_rows as (

    select * from {{ ref('stg_raw__hotline_calls') }}

),

rows_with_errors as (

    select * from {{ ref('int_rows_quarantined') }}

),

rows_without_errors as (

    select
        typed_rows.*,
        current_submissions.province_code,
        current_submissions.period,
        current_submissions.period_end_date,
        row_number() over (
            partition by
                typed_rows.submission_id,
                typed_rows.caller_province_code,
                typed_rows.channel,
                typed_rows.topic
            order by typed_rows.source_row
        ) as occurrence

    from typed_rows
    inner join current_submissions
        on typed_rows.submission_id = current_submissions.submission_id
    left join rows_with_errors
        on
            typed_rows.submission_id = rows_with_errors.submission_id
            and typed_rows.source_row = rows_with_errors.source_row
    where
        rows_with_errors.source_row is null
        and typed_rows.caller_province_code is not null

),

final as (

    select
        submission_id,
        source_row,
        province_code,
        period,
        period_end_date,
        caller_province_code,
        channel,
        topic,
        calls,
        counselling_calls,
        referrals,
        interventions

    from rows_without_errors
    where occurrence = 1

)

select * from final
