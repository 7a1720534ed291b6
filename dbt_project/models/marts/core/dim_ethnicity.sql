-- The 54 ethnic groups with their 2-digit codes.
with

ethnic_groups as (

    select * from {{ ref('stg_reference__ethnic_groups') }}

),

final as (

    select
        ethnic_code as ethnicity_code,
        name_vi,
        name_ascii,
        pop_share_2019_pct

    from ethnic_groups

)

select * from final
