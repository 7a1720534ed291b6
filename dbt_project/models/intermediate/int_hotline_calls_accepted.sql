-- Rows of the current hotline_calls submissions (the national folder's: province_code is 'national', the
-- caller's province is caller_province_code), less the rows validation marked as errors. A province,
-- channel and topic repeated within a file keeps its first row (validation reports the repeat).
with

rows_without_errors as (

    {{ current_rows_without_errors(
        'hotline_calls', 'stg_raw__hotline_calls', key=['caller_province_code', 'channel', 'topic'], required='caller_province_code'
    ) }}

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
