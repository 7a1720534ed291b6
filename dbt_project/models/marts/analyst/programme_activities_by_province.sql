-- Programme activities per province, period and activity type: how many, children reached (lượt:
-- participations, not distinct children), spending in đồng, and how many communes the activities named.
-- Counts of activities and participations point to no child: nothing is suppressed.
with

activities as (

    select * from {{ ref('fct_programme_activities') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

summed as (

    select
        province_code,
        period,
        max(period_end_date) as period_end_date,
        activity_type,
        sum(activities) as activities,
        sum(children_reached) as children_reached,
        sum(spending_vnd) as spending_vnd,
        count(distinct commune_code) as communes_named
    from activities
    group by province_code, period, activity_type

),

final as (

    select
        summed.province_code,
        provinces.province_name_vi,
        summed.period,
        summed.period_end_date,
        summed.activity_type,
        summed.activities,
        summed.children_reached,
        summed.spending_vnd,
        summed.communes_named

    from summed
    left join provinces
        on
            summed.province_code = provinces.province_code
            and summed.period_end_date >= provinces.valid_from
            and summed.period_end_date <= coalesce(provinces.valid_to, date '9999-12-31')

)

select * from final
