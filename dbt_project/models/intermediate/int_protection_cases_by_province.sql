-- Child-protection cases per province and period, from the current protection_cases submissions, before
-- suppression (restricted; the analyst mart protection_cases_by_province publishes it suppressed).
-- Flows: every case detected or handled in the period counts.
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'protection_cases'

),

protection_cases as (

    select * from {{ ref('int_protection_cases_accepted') }}

),

provinces as (

    select * from {{ ref('stg_reference__provinces') }}

),

province_period_counts as (

    select
        province_code,
        period,
        count(*) as cases_total,
        count(*) filter (where is_abuse_case) as abuse_cases,
        count(*) filter (where is_drowning_case) as drowning_cases,
        count(*) filter (where is_intervened) as intervened_cases,
        percentile_cont(0.5) within group (
            order by days_detection_to_intervention
        ) as median_days_detection_to_intervention

    from protection_cases
    group by province_code, period

),

-- Every current submission gets a row, even when none of its cases survived validation.
final as (

    select
        current_submissions.province_code,
        provinces.name_vi as province_name_vi,
        current_submissions.period,
        current_submissions.period_end_date,
        coalesce(province_period_counts.cases_total, 0) as cases_total,
        coalesce(province_period_counts.abuse_cases, 0) as abuse_cases,
        coalesce(province_period_counts.drowning_cases, 0) as drowning_cases,
        coalesce(province_period_counts.intervened_cases, 0) as intervened_cases,
        province_period_counts.median_days_detection_to_intervention

    from current_submissions
    left join province_period_counts
        on
            current_submissions.province_code = province_period_counts.province_code
            and current_submissions.period = province_period_counts.period
    left join provinces
        on
            current_submissions.province_code = provinces.province_code
            and current_submissions.period_end_date >= provinces.valid_from
            and current_submissions.period_end_date <= coalesce(provinces.valid_to, date '9999-12-31')

)

select * from final
