-- The provincial scorecard rebased onto today's 34 provinces, so a series runs across the July 2025
-- reform (Phú Yên's and Đắk Lắk's 2022 figures both count for today's Đắk Lắk). One row per today's
-- province and period. A figure is the sum of the provinces that merged only when every one of them
-- reported it; otherwise it is null and `<figure>_partial` holds the sum of those that did, with
-- `<figure>_provinces_reporting` of `provinces_expected`. Shares come from complete sums only, never
-- from partial ones. Suppression as in provincial_scorecard, plus: a sum is withheld when one of the
-- provinces it adds up was suppressed in the as-reported scorecard.
with

scorecard as (

    select * from {{ ref('fct_scorecard_counts_today') }}

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
        provinces_as_reported,
        provinces_expected,
        case_months_received,
        period_months,
        indicators_reported,
        {{ scorecard_published_columns(constituent_flags=true) }},
        {{ scorecard_partial_columns() }}

    from scorecard

)

select * from final
