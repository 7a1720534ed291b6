-- Flows for the scorecard, computed from the protection cases: one row per province and calendar
-- period (dim_period) that contains at least one current protection_cases submission. Flows add up over
-- the submissions inside the period (months into quarters, H1, 9M and the year); a case reported in
-- several months counts once, as its latest month reports it. case_months_received says how many of the
-- period's months were submitted, so an incomplete cumulative period is visible.
with

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'protection_cases'

),

protection_cases as (

    select * from {{ ref('fct_protection_cases') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

submissions_in_period as (

    select
        current_submissions.province_code,
        periods.period,
        periods.period_months,
        current_submissions.period as case_period,
        current_submissions.period_start_date,
        current_submissions.period_end_date
    from current_submissions
    inner join periods
        on {{ month_within(
            'current_submissions.period_start_date', 'current_submissions.period_end_date',
            'periods.period_start_date', 'periods.period_end_date'
        ) }}

),

months_received as (

    select
        submissions_in_period.province_code,
        submissions_in_period.period,
        min(submissions_in_period.period_months) as period_months,
        count(distinct months.month_start)::int as case_months_received
    from submissions_in_period
    cross join
        lateral generate_series(
            submissions_in_period.period_start_date, submissions_in_period.period_end_date, interval '1 month'
        ) as months (month_start)
    group by submissions_in_period.province_code, submissions_in_period.period

),

cases_in_period as (

    select
        submissions_in_period.period as scorecard_period,
        protection_cases.province_code,
        protection_cases.case_id,
        protection_cases.victim_key,
        protection_cases.is_abuse_case,
        protection_cases.is_intervened,
        protection_cases.is_drowning_case,
        protection_cases.is_death,
        row_number() over (
            partition by
                protection_cases.province_code, submissions_in_period.period, protection_cases.case_id
            order by protection_cases.period_end_date desc
        ) as case_rank
    from protection_cases
    inner join submissions_in_period
        on
            protection_cases.province_code = submissions_in_period.province_code
            and protection_cases.period = submissions_in_period.case_period

),

case_counts as (

    select
        province_code,
        scorecard_period as period,
        count(*) filter (where is_abuse_case) as abuse_cases,
        count(distinct victim_key) filter (where is_abuse_case) as abuse_victims,
        count(distinct victim_key) filter (where is_abuse_case and is_intervened) as abuse_victims_intervened,
        count(distinct victim_key) filter (where is_drowning_case and is_death) as drowning_deaths
    from cases_in_period
    where case_rank = 1
    group by province_code, scorecard_period

),

final as (

    select
        months_received.province_code,
        months_received.period,
        months_received.case_months_received,
        months_received.period_months,
        coalesce(case_counts.abuse_cases, 0) as abuse_cases,
        coalesce(case_counts.abuse_victims, 0) as abuse_victims,
        coalesce(case_counts.abuse_victims_intervened, 0) as abuse_victims_intervened,
        coalesce(case_counts.drowning_deaths, 0) as drowning_deaths

    from months_received
    left join case_counts
        on
            months_received.province_code = case_counts.province_code
            and months_received.period = case_counts.period

)

select * from final
