-- Drowning prevention over time, per province and programme period: swimming classes and the children
-- they reached (programme_activities) beside the drowning cases and deaths the province's own monthly
-- protection_cases files report for the months of that period. case_months_received says how many of
-- the period's months have a current cases file: fewer than period_months means the drowning figures
-- are partial, and with none they are null (not known, never 0). Drowning counts of 1-4 (and deaths
-- whose complement within drowning cases is 1-4) are suppressed, as in protection_cases_by_province.
with

activities as (

    select * from {{ ref('fct_programme_activities') }}

),

cases as (

    select * from {{ ref('fct_protection_cases') }}

),

case_months as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'protection_cases'

),

periods as (

    select * from {{ ref('dim_period') }}

),

programme_periods as (

    select
        activities.province_code,
        activities.period,
        max(activities.period_start_date) as period_start_date,
        max(activities.period_end_date) as period_end_date,
        coalesce(sum(activities.activities) filter (where activities.activity_type = 'lop_hoc_boi'), 0)
            as swimming_classes,
        coalesce(sum(activities.children_reached) filter (where activities.activity_type = 'lop_hoc_boi'), 0)
            as swimming_children_reached
    from activities
    group by activities.province_code, activities.period

),

drowning as (

    select
        programme_periods.province_code,
        programme_periods.period,
        count(*) filter (where cases.is_drowning_case) as drowning_cases,
        count(*) filter (where cases.is_drowning_case and cases.is_death) as drowning_deaths
    from programme_periods
    inner join cases
        on
            programme_periods.province_code = cases.province_code
            and {{ month_within(
                'cases.period_start_date', 'cases.period_end_date',
                'programme_periods.period_start_date', 'programme_periods.period_end_date'
            ) }}
    group by programme_periods.province_code, programme_periods.period

),

months_received as (

    select
        programme_periods.province_code,
        programme_periods.period,
        count(*) as case_months_received
    from programme_periods
    inner join case_months
        on
            programme_periods.province_code = case_months.province_code
            and case_months.period_type = 'month'
            and {{ month_within(
                'case_months.period_start_date', 'case_months.period_end_date',
                'programme_periods.period_start_date', 'programme_periods.period_end_date'
            ) }}
    group by programme_periods.province_code, programme_periods.period

),

flagged as (

    select
        programme_periods.*,
        periods.period_months,
        coalesce(months_received.case_months_received, 0) as case_months_received,
        coalesce(drowning.drowning_cases, 0) as drowning_cases,
        coalesce(drowning.drowning_deaths, 0) as drowning_deaths,
        {{ small_cell_flag('coalesce(drowning.drowning_cases, 0)') }} as drowning_cases_suppressed,
        {{ small_cell_flag('coalesce(drowning.drowning_deaths, 0)', 'coalesce(drowning.drowning_cases, 0)') }}
            as drowning_deaths_suppressed
    from programme_periods
    inner join periods
        on programme_periods.period = periods.period
    left join drowning
        on programme_periods.province_code = drowning.province_code
            and programme_periods.period = drowning.period
    left join months_received
        on
            programme_periods.province_code = months_received.province_code
            and programme_periods.period = months_received.period

),

final as (

    select
        province_code,
        period,
        period_end_date,
        period_months,
        case_months_received,
        swimming_classes,
        swimming_children_reached,
        case
            when drowning_cases_suppressed or case_months_received = 0 then null else drowning_cases
        end as drowning_cases,
        case
            when drowning_deaths_suppressed or case_months_received = 0 then null else drowning_deaths
        end as drowning_deaths
    from flagged

)

select * from final
