-- The national hotline 111 per caller's province and month, broken down by topic and, separately, by
-- channel (breakdown = 'topic' or 'channel'; category is the code). Small cells suppressed: calls and
-- interventions of 1-4 are null, since a few calls on a topic in one province can point to a child.
with

calls as (

    select * from {{ ref('fct_hotline_calls') }}

),

broken_down as (

    select
        province_code,
        period,
        period_end_date,
        'topic' as breakdown,
        topic as category,
        calls,
        interventions
    from calls
    union all
    select
        province_code,
        period,
        period_end_date,
        'channel' as breakdown,
        channel as category,
        calls,
        interventions
    from calls

),

summed as (

    select
        province_code,
        period,
        max(period_end_date) as period_end_date,
        breakdown,
        category,
        sum(calls) as calls,
        sum(interventions) as interventions
    from broken_down
    group by province_code, period, breakdown, category

),

final as (

    select
        province_code,
        period,
        period_end_date,
        breakdown,
        category,
        {{ suppress_small_cell('calls') }} as calls,
        {{ suppress_small_cell('interventions') }} as interventions
    from summed

)

select * from final
