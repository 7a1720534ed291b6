-- What the reporting calendar (submission contract, section 6) expects: one row per province, period
-- and submission type whose deadline has passed by the as-of date (var `as_of_date`, default today),
-- from the first year the ledger holds. protection_cases monthly, child_records quarterly,
-- indicator_report for H1, 9M and the year, commune_assessment for the year, programme_activities for
-- H1 and the year (the contract names no calendar for these two: assumed, like the report's); the
-- provinces are those that existed at the period's end (63 before 1 July 2025, 34 after). The hotline
-- 111's hotline_calls are expected monthly from the `national` folder (province_code 'national').
with

periods as (

    select * from {{ ref('dim_period') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

calendar as (

    select *
    from (
        values
        ('protection_cases', 'month'),
        ('child_records', 'quarter'),
        ('indicator_report', 'half_year'),
        ('indicator_report', 'nine_months'),
        ('indicator_report', 'year'),
        ('commune_assessment', 'year'),
        ('programme_activities', 'half_year'),
        ('programme_activities', 'year')
    ) as calendar (submission_type, period_type)

),

by_provinces as (

    select
        provinces.province_code,
        periods.period,
        calendar.submission_type,
        periods.period_type,
        periods.period_end_date,
        periods.deadline_date

    from periods
    inner join calendar
        on periods.period_type = calendar.period_type
    inner join provinces
        on periods.period_end_date between provinces.valid_from and coalesce(
                provinces.valid_to, date '9999-12-31'
            )
    where
        periods.deadline_date
        < {% if var('as_of_date', none) %}date '{{ var("as_of_date") }}'{% else %}current_date{% endif %}

),

national_hotline as (

    select
        'national' as province_code,
        periods.period,
        'hotline_calls' as submission_type,
        periods.period_type,
        periods.period_end_date,
        periods.deadline_date
    from periods
    where
        periods.period_type = 'month'
        and periods.deadline_date
        < {% if var('as_of_date', none) %}date '{{ var("as_of_date") }}'{% else %}current_date{% endif %}

),

final as (

    select * from by_provinces
    union all
    select * from national_hotline

)

select * from final
