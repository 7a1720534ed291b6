-- The figures provinces reported in their current indicator_report submissions: one row per province,
-- period, indicator and disaggregation. Rows validation marked as errors and unknown indicator codes
-- are left out; a code repeated in a file keeps its first row. Empty cells are "not reported" (null).
-- The indicator's kind decides how an ambiguous '1.234' reads: 1234 people, or a rate of 1.234.
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'indicator_report'

),

reported_values as (

    select * from {{ ref('stg_raw__indicator_report') }}

),

rows_with_errors as (

    select * from {{ ref('int_rows_quarantined') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

values_without_errors as (

    select
        current_submissions.submission_id,
        current_submissions.province_code,
        current_submissions.period,
        current_submissions.period_type,
        current_submissions.period_end_date,
        reported_values.source_row,
        reported_values.indicator_code,
        reported_values.disaggregation,
        case
            when
                indicators.kind = 'rate'
                then {{ parse_vn_number('reported_values.value_text', style='decimal') }}
            else {{ parse_vn_number('reported_values.value_text', style='count') }}
        end as value_numeric,
        reported_values.value_text is not null as is_reported,
        indicators.kind as indicator_kind,
        indicators.unit,
        reported_values.note,
        row_number() over (
            partition by
                reported_values.submission_id, reported_values.indicator_code, reported_values.disaggregation
            order by reported_values.source_row
        ) as value_occurrence

    from reported_values
    inner join current_submissions
        on reported_values.submission_id = current_submissions.submission_id
    inner join indicators
        on reported_values.indicator_code = indicators.indicator_code
    left join rows_with_errors
        on
            reported_values.submission_id = rows_with_errors.submission_id
            and reported_values.source_row = rows_with_errors.source_row
    where rows_with_errors.source_row is null

),

final as (

    select
        values_without_errors.province_code,
        values_without_errors.period,
        values_without_errors.period_type,
        values_without_errors.period_end_date,
        values_without_errors.indicator_code,
        values_without_errors.disaggregation,
        split_part(values_without_errors.disaggregation, ':', 1) as disaggregation_dimension,
        nullif(split_part(values_without_errors.disaggregation, ':', 2), '') as disaggregation_value,
        values_without_errors.indicator_kind,
        values_without_errors.unit,
        values_without_errors.value_numeric,
        values_without_errors.is_reported,
        values_without_errors.note,
        values_without_errors.submission_id,
        values_without_errors.source_row

    from values_without_errors
    where values_without_errors.value_occurrence = 1

)

select * from final
