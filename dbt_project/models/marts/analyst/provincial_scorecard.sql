-- The provincial scorecard as reported (63 provinces before July 2025, 34 after): one row per province
-- and period, the figures provincial reports publish, computed from the individual records beside the
-- province's own aggregate report and the gap between them. Small cells suppressed (see
-- scorecard_published_columns): null with the column named in suppressed_columns.
with

scorecard as (

    select * from {{ ref('fct_scorecard_counts') }}

),

final as (

    select
        province_code,
        province_name_vi,
        period,
        period_type,
        period_year,
        period_start_date,
        period_end_date,
        stock_period,
        case_months_received,
        period_months,
        indicators_reported,
        {{ scorecard_published_columns() }}

    from scorecard

)

select * from final
