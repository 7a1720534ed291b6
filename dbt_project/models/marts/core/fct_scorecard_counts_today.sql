-- The scorecard's unsuppressed counts rebased onto today's 34 provinces: before the July 2025 reform
-- the figures of every province that merged into today's province are summed. For every count,
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

merged_provinces as (

    select
        new_province_code as province_code,
        count(*) as provinces_merged
    from crosswalk
    group by new_province_code

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
        min(case_months_received) as case_months_received,
        sum(indicators_reported)::bigint as indicators_reported,
        {{ scorecard_rebased_sums() }}
    from as_reported
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
        provinces.province_name_vi,
        case when summed.period_end_date < date '2025-07-01' then merged_provinces.provinces_merged else 1 end
            as provinces_expected
    from summed
    left join provinces
        on summed.province_code = provinces.province_code
    left join merged_provinces
        on summed.province_code = merged_provinces.province_code

)

select * from final
