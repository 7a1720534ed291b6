-- The provinces' programme activities (Month of Action for Children, swimming classes against
-- drowning, play areas, training) as their current programme_activities submissions reported them:
-- one row per report line. Children reached counts participations (lượt), not distinct children.
with

activities as (

    select * from {{ ref('int_programme_activities_accepted') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

final as (

    select
        activities.province_code,
        activities.period,
        periods.period_type,
        periods.period_start_date,
        activities.period_end_date,
        activities.activity_type,
        activities.commune_code,
        activities.activities,
        activities.children_reached,
        activities.spending_vnd,
        activities.submission_id,
        activities.source_row

    from activities
    inner join periods
        on activities.period = periods.period

)

select * from final
