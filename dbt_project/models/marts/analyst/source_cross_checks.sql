-- Figures the new sources let the warehouse compare, one row per province, period and check:
--   child_friendly_communes: the child_friendly_communes a province reports in its indicator report
--     (total) against the communes it recognised in its latest commune assessment of a year ending by
--     then (on the same side of the July 2025 reform); both count the same decisions, so any
--     difference is a warning.
--   hotline_interventions: the interventions the hotline 111 made for callers from the province in a
--     month against the protection cases the province detected that month. Each intervention should
--     open a case, so interventions above cases plus a gap of max(3, 20 % of the cases) are a warning
--     (a case may be recorded the month after, or not be the province's). No cases file for the
--     month: not_comparable.
-- Values of 1-4 children-related counts (interventions, cases) are suppressed as elsewhere; the status
-- is shown either way, as it reveals no count.
with

reported as (

    select * from {{ ref('fct_indicator_values') }}
    where indicator_code = 'child_friendly_communes' and disaggregation = 'total'

),

assessments as (

    select * from {{ ref('fct_commune_assessments') }}

),

assessed_years as (

    select
        province_code,
        period,
        max(period_end_date) as period_end_date,
        count(*) filter (where is_recognised_declared) as communes_recognised
    from assessments
    group by province_code, period

),

hotline as (

    select * from {{ ref('fct_hotline_calls') }}

),

cases as (

    select * from {{ ref('int_protection_cases_by_province') }}

),

communes_check as (

    select
        reported.province_code,
        reported.period,
        reported.period_end_date,
        'child_friendly_communes' as check_name,
        reported.value_numeric as reported_value,
        latest.communes_recognised::numeric as compared_value,
        'commune_assessment ' || latest.period as compared_with,
        0::numeric as tolerance,
        case
            when reported.value_numeric is null or latest.period is null then 'not_comparable'
            when reported.value_numeric = latest.communes_recognised then 'agrees'
            else 'warning'
        end as status
    from reported
    left join lateral (
        select
            assessed_years.period,
            assessed_years.communes_recognised
        from assessed_years
        where
            assessed_years.province_code = reported.province_code
            and assessed_years.period_end_date <= reported.period_end_date
            and (assessed_years.period_end_date >= date '2025-07-01')
            = (reported.period_end_date >= date '2025-07-01')
        order by assessed_years.period_end_date desc
        limit 1
    ) as latest on true

),

hotline_months as (

    select
        province_code,
        period,
        max(period_end_date) as period_end_date,
        sum(interventions) as interventions
    from hotline
    where province_code <> '00'
    group by province_code, period

),

hotline_check as (

    select
        hotline_months.province_code,
        hotline_months.period,
        hotline_months.period_end_date,
        'hotline_interventions' as check_name,
        hotline_months.interventions as reported_value,
        cases.cases_total::numeric as compared_value,
        'protection_cases ' || hotline_months.period as compared_with,
        greatest(3, ceil(0.2 * cases.cases_total))::numeric as tolerance,
        case
            when hotline_months.interventions is null or cases.cases_total is null then 'not_comparable'
            when hotline_months.interventions > cases.cases_total + greatest(3, ceil(0.2 * cases.cases_total))
                then 'warning'
            else 'agrees'
        end as status
    from hotline_months
    left join cases
        on hotline_months.province_code = cases.province_code and hotline_months.period = cases.period

),

final as (

    select * from communes_check
    union all
    select
        province_code,
        period,
        period_end_date,
        check_name,
        {{ suppress_small_cell('reported_value') }} as reported_value,
        {{ suppress_small_cell('compared_value') }} as compared_value,
        compared_with,
        tolerance,
        status
    from hotline_check

)

select * from final
