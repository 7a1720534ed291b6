-- The figures provinces reported, rebased onto today's 34 provinces figure by figure: one row per
-- today's province, period, indicator and disaggregation that any of its predecessors reported. A
-- count is the sum of the provinces that existed at the period's end in today's province's area only
-- when every one of them reported it; otherwise `value` is null and `value_partial` holds the sum of
-- those that did. A rate is never combined: it is the province's own when it alone existed, else null
-- (a rate on today's boundaries comes from complete counts, as a derived figure in the analyst mart).
-- Unsuppressed: restricted.
with

reported as (

    select * from {{ ref('fct_indicator_values') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

periods as (

    select distinct
        period,
        period_type,
        period_end_date
    from reported

),

-- Every province that existed at the period's end, with the province of today its area belongs to.
predecessors as (

    select
        periods.period,
        provinces.today_province_code,
        provinces.province_code
    from periods
    inner join provinces
        on
            periods.period_end_date
            between provinces.valid_from and coalesce(provinces.valid_to, date '9999-12-31')

),

figures as (

    select distinct
        predecessors.today_province_code,
        reported.period,
        reported.period_type,
        reported.period_end_date,
        reported.indicator_code,
        reported.indicator_kind,
        reported.unit,
        reported.disaggregation
    from reported
    inner join predecessors
        on reported.period = predecessors.period and reported.province_code = predecessors.province_code

),

each_predecessor as (

    select
        figures.*,
        predecessors.province_code,
        reported.value_numeric
    from figures
    inner join predecessors
        on
            figures.period = predecessors.period
            and figures.today_province_code = predecessors.today_province_code
    left join reported
        on
            predecessors.province_code = reported.province_code
            and figures.period = reported.period
            and figures.indicator_code = reported.indicator_code
            and figures.disaggregation = reported.disaggregation

),

final as (

    select
        today_province_code as province_code,
        period,
        period_type,
        period_end_date,
        indicator_code,
        indicator_kind,
        unit,
        disaggregation,
        count(*)::int as provinces_expected,
        count(value_numeric)::int as provinces_reporting,
        coalesce(
            array_agg(province_code order by province_code) filter (where value_numeric is null), '{}'::text[]
        ) as provinces_not_reporting,
        case
            when count(value_numeric) < count(*) then null
            when indicator_kind = 'rate' and count(*) > 1 then null
            when indicator_kind = 'rate' then max(value_numeric)
            else sum(value_numeric)
        end as value_numeric,
        case
            when indicator_kind <> 'rate' and count(value_numeric) between 1 and count(*) - 1
                then sum(value_numeric)
        end as value_partial,
        case
            when count(value_numeric) = count(*) then 'complete'
            when count(value_numeric) = 0 then 'none'
            else 'partial'
        end as coverage
    from each_predecessor
    group by
        today_province_code, period, period_type, period_end_date, indicator_code, indicator_kind, unit,
        disaggregation

)

select * from final
