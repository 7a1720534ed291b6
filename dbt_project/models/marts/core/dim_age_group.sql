-- The age groups the indicator reports and marts use (age in whole years at period end).
with

age_groups as (

    select *
    from (
        values
        ('0-5', 0, 5, 'Từ 0 đến 5 tuổi', 'Aged 0-5'),
        ('6-10', 6, 10, 'Từ 6 đến 10 tuổi', 'Aged 6-10'),
        ('11-15', 11, 15, 'Từ 11 đến 15 tuổi', 'Aged 11-15')
    ) as age_groups (age_group, min_age_years, max_age_years, name_vi, name_en)

),

final as (

    select
        age_group,
        min_age_years,
        max_age_years,
        name_vi,
        name_en

    from age_groups

)

select * from final
