-- The reporting calendar: every month, quarter, H1, 9M and year of the years the ledger holds
-- submissions for, with their bounds, whether a flow is cumulative and the deadline of section 6.
with

ledger_periods as (

    select * from {{ ref('int_periods') }}

),

years as (

    select generate_series(min(period_year), max(period_year)) as period_year
    from ledger_periods

),

labels as (

    select years.period_year || '-M' || lpad(months.month_number::text, 2, '0') as period
    from years
    cross join generate_series(1, 12) as months (month_number)
    union all
    select years.period_year || '-Q' || quarters.quarter_number as period
    from years
    cross join generate_series(1, 4) as quarters (quarter_number)
    union all
    select years.period_year || suffixes.suffix as period
    from years
    cross join (values ('-H1'), ('-9M'), ('-Y')) as suffixes (suffix)

),

final as (

    select
        period,
        {{ period_type('period') }} as period_type,
        left(period, 4)::int as period_year,
        {{ period_start_date('period') }} as period_start_date,
        {{ period_end_date('period') }} as period_end_date,
        {{ period_months('period') }} as period_months,
        {{ period_type('period') }} in ('half_year', 'nine_months', 'year') as is_cumulative,
        {{ period_end_date('period') }} < date '2025-07-01' as is_pre_reform,
        {{ period_deadline('period') }} as deadline_date

    from labels

)

select * from final
