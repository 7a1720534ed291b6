-- The scorecard's unsuppressed counts rebased onto today's 34 provinces: before the July 2025 reform
-- the figures of every province that merged into today's province are summed, figure by figure,
-- and only when every province expected has the figure; otherwise the figure is null and the sum of
-- those that do is `<column>_partial`, with `<column>_provinces_reporting`. Figures computed from
-- records are summed here (macro scorecard_rebased_sums); reported figures are the long
-- fct_indicator_values_today's totals, pivoted (macro scorecard_reported_today).
-- `<column>_in_suppressed` says whether one of the summed provinces had it suppressed in the
-- as-reported scorecard: the rebased sum is then withheld too, or subtracting the other provinces'
-- published figures from it would reveal the suppressed one.
with

as_reported as (

    select * from {{ ref('fct_scorecard_counts') }}

),

crosswalk as (

    select * from {{ ref('stg_reference__province_crosswalk_2025') }}

),

provinces as (

    select * from {{ ref('dim_province') }}
    where is_current

),

reported_today as (

    select
        province_code,
        period,
        {{ scorecard_reported_today() }}
    from {{ ref('fct_indicator_values_today') }}
    where disaggregation = 'total'
    group by province_code, period

),

merged_provinces as (

    {{ merged_province_counts('crosswalk') }}

),

-- How many provinces existed at the period's end in today's province's area: those that merged
-- into it before the reform, the province itself after.
with_expected as (

    select
        as_reported.*,
        {{ provinces_expected('as_reported.period_end_date', 'merged_provinces.provinces_merged') }}
            as provinces_expected
    from as_reported
    left join merged_provinces
        on as_reported.today_province_code = merged_provinces.province_code

),

summed as (

    select
        today_province_code as province_code,
        period,
        period_type,
        period_year,
        period_start_date,
        period_end_date,
        period_months,
        count(*) as provinces_as_reported,
        max(provinces_expected) as provinces_expected,
        min(case_months_received) as case_months_received,
        sum(indicators_reported)::bigint as indicators_reported,
        {{ scorecard_rebased_sums('provinces_expected') }}
    from with_expected
    group by
        today_province_code,
        period,
        period_type,
        period_year,
        period_start_date,
        period_end_date,
        period_months

),

final as (

    select
        summed.*,
        {%- for measure in scorecard_measures() %}
            reported_today.{{ measure.name }}_reported,
            reported_today.{{ measure.name }}_reported_partial,
            coalesce(reported_today.{{ measure.name }}_reported_provinces_reporting, 0)
                as {{ measure.name }}_reported_provinces_reporting,
        {%- endfor %}
        provinces.province_name_vi
    from summed
    left join reported_today
        on summed.province_code = reported_today.province_code and summed.period = reported_today.period
    left join provinces
        on summed.province_code = provinces.province_code

)

select * from final
