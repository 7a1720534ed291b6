-- The age groups the indicator reports and marts use (age in whole years at period end), from the
-- one list every model that assigns a group reads (macro age_groups).
with

age_groups as (

    select *
    from (
        values
        {%- for group in age_groups() %}
            (
                '{{ group.age_group }}', {{ group.min_age_years }}, {{ group.max_age_years }},
                '{{ group.name_vi }}', '{{ group.name_en }}'
            ){{ "," if not loop.last }}
        {%- endfor %}
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
