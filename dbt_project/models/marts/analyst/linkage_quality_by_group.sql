-- How well child records link to the population register, by province and period, for all records
-- and by sex, age group and ethnicity, so the groups that link worst are visible.
with

child_records as (

    select * from {{ ref('int_child_records_linked') }}

),

ethnic_groups as (

    select * from {{ ref('ethnic_groups') }}

),

grouped_records as (

    select
        child_records.province_code,
        child_records.period,
        child_records.is_linked,
        child_records.link_method,
        coalesce(child_records.sex, 'unknown') as sex,
        case
            when child_records.age_years_at_period_end between 0 and 5 then '0-5'
            when child_records.age_years_at_period_end between 6 and 10 then '6-10'
            when child_records.age_years_at_period_end between 11 and 15 then '11-15'
            else 'unknown'
        end as age_group,
        coalesce(ethnic_groups.name_vi, 'unknown') as ethnicity
    from child_records
    left join ethnic_groups
        on child_records.ethnicity_code = ethnic_groups.ethnic_code
    where child_records.is_active

),

by_dimension as (

    select
        grouped_records.province_code,
        grouped_records.period,
        grouped_records.is_linked,
        grouped_records.link_method,
        dimensions.dimension,
        dimensions.group_value
    from grouped_records
    cross join lateral (
        values
        ('all', 'all'),
        ('sex', grouped_records.sex),
        ('age_group', grouped_records.age_group),
        ('ethnicity', grouped_records.ethnicity)
    ) as dimensions (dimension, group_value)

),

final as (

    select
        province_code,
        period,
        dimension,
        group_value,
        count(*) as records,
        count(*) filter (where is_linked) as records_linked,
        count(*) filter (where link_method = 'deterministic_id') as linked_by_id,
        count(*) filter (where link_method = 'probabilistic') as linked_probabilistically,
        count(*) filter (where link_method = 'clerical') as linked_by_review,
        round(count(*) filter (where is_linked)::numeric / count(*), 4) as linked_share
    from by_dimension
    group by province_code, period, dimension, group_value

)

select * from final
