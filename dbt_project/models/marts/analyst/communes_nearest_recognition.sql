-- The communes closest to recognition as child-friendly, per province and year: among those the scoring
-- rules do not recognise, the ten (per province) with the fewest criteria at 0, then the fewest points
-- short of their type's minimum total. Tells a province where a little support makes a commune
-- child-friendly. Communes are public units; nothing here points to a child.
with

assessments as (

    select * from {{ ref('fct_commune_assessments') }}

),

ranked as (

    select
        province_code,
        period,
        period_end_date,
        commune_code,
        commune_name_vi,
        commune_type,
        criteria_sum,
        min_total,
        points_short,
        zero_criteria,
        array_to_string(criteria_at_zero, ', ') as criteria_at_zero,
        is_recognised_declared,
        row_number() over (
            partition by province_code, period
            order by zero_criteria asc, points_short asc, criteria_sum desc, commune_code asc
        ) as closeness_rank
    from assessments
    where not is_recognised_by_rules and min_total is not null

),

final as (

    select * from ranked
    where closeness_rank <= 10

)

select * from final
