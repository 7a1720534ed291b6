-- The national hotline 111 per caller's province and month ('00': the caller's province is not known):
-- calls, counselling calls, referrals and interventions; calls per 100,000 children, the children taken
-- from the province's latest indicator report's children_total (its official count of children under
-- 16) within the year before the month's end, else from its own child records at the latest quarter's
-- end in that year, which may not cover every child (children_source says which; both on the same side
-- of the July 2025 reform, as codes were reused); and the province's own protection cases detected in
-- the month beside the hotline's interventions. Calls are not children. Small cells suppressed:
-- interventions, calls on abuse topics and cases counts of 1-4 (and a case count whose complement
-- within the month's cases is 1-4, as protection_cases_by_province does).
with

calls as (

    select * from {{ ref('fct_hotline_calls') }}

),

records as (

    select * from {{ ref('int_special_circumstances_by_province') }}

),

reported as (

    select * from {{ ref('fct_indicator_values') }}
    where indicator_code = 'children_total' and disaggregation = 'total' and value_numeric is not null

),

cases as (

    select * from {{ ref('int_protection_cases_by_province') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

monthly as (

    select
        province_code,
        period,
        max(period_end_date) as period_end_date,
        sum(calls) as calls,
        sum(counselling_calls) as counselling_calls,
        sum(referrals) as referrals,
        sum(interventions) as interventions,
        sum(calls) filter (where is_abuse_topic) as abuse_topic_calls
    from calls
    group by province_code, period

),

with_children as (

    select
        monthly.*,
        (
            select records.children_total from records
            where
                records.province_code = monthly.province_code
                and records.period_end_date <= monthly.period_end_date
                and records.period_end_date > monthly.period_end_date - interval '1 year'
                and (records.period_end_date >= date '2025-07-01')
                = (monthly.period_end_date >= date '2025-07-01')
            order by records.period_end_date desc
            limit 1
        ) as children_from_records,
        (
            select reported.value_numeric from reported
            where
                reported.province_code = monthly.province_code
                and reported.period_end_date <= monthly.period_end_date
                and reported.period_end_date > monthly.period_end_date - interval '1 year'
                and (reported.period_end_date >= date '2025-07-01')
                = (monthly.period_end_date >= date '2025-07-01')
            order by reported.period_end_date desc
            limit 1
        ) as children_from_report
    from monthly

),

flagged as (

    select
        with_children.*,
        coalesce(with_children.children_from_report, with_children.children_from_records) as children,
        case
            when with_children.children_from_report is not null then 'indicator_report'
            when with_children.children_from_records is not null then 'child_records'
        end as children_source,
        cases.cases_total,
        cases.abuse_cases,
        {{ small_cell_flag('with_children.interventions') }} as interventions_suppressed,
        {{ small_cell_flag('with_children.abuse_topic_calls') }} as abuse_topic_calls_suppressed,
        {{ small_cell_flag('cases.cases_total') }} as cases_total_suppressed,
        {{ small_cell_flag('cases.abuse_cases', 'cases.cases_total') }} as abuse_cases_suppressed
    from with_children
    left join cases
        on with_children.province_code = cases.province_code and with_children.period = cases.period

),

final as (

    select
        flagged.province_code,
        coalesce(provinces.province_name_vi, 'Không rõ tỉnh (unknown province)') as province_name_vi,
        flagged.period,
        flagged.period_end_date,
        flagged.calls,
        flagged.counselling_calls,
        flagged.referrals,
        case when flagged.interventions_suppressed then null else flagged.interventions end as interventions,
        case when flagged.abuse_topic_calls_suppressed then null else flagged.abuse_topic_calls end
            as abuse_topic_calls,
        flagged.children,
        flagged.children_source,
        round(flagged.calls * 100000.0 / nullif(flagged.children, 0), 1) as calls_per_100k_children,
        case when flagged.cases_total_suppressed then null else flagged.cases_total end as cases_detected,
        case when flagged.abuse_cases_suppressed then null else flagged.abuse_cases end
            as abuse_cases_detected

    from flagged
    left join provinces
        on
            flagged.province_code = provinces.province_code
            and flagged.period_end_date >= provinces.valid_from
            and flagged.period_end_date <= coalesce(provinces.valid_to, date '9999-12-31')

)

select * from final
