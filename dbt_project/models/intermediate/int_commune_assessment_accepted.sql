-- Rows of the current commune_assessment submissions, less the rows validation marked as errors.
-- A commune repeated within a file keeps its first row only (validation reports the repeat as an error).
with

rows_without_errors as (

    {{ current_rows_without_errors(
        'commune_assessment', 'stg_raw__commune_assessment', key=['commune_code'], required='commune_code'
    ) }}

),

final as (

    select
        submission_id,
        source_row,
        province_code,
        period,
        period_end_date,
        commune_code,
        commune_type,
        criterion_01,
        criterion_02,
        criterion_03,
        criterion_04,
        criterion_05,
        criterion_06,
        criterion_07,
        criterion_08,
        criterion_09,
        criterion_10,
        criterion_11,
        criterion_12,
        criterion_13,
        total_score,
        is_recognised_declared,
        decision_no

    from rows_without_errors
    where occurrence = 1

)

select * from final
