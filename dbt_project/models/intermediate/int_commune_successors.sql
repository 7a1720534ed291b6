-- The 2025 commune crosswalk as the marts read it: each pre-reform commune and the commune(s) of today
-- it went into, is_partial when it was split among several.
with

crosswalk as (

    select * from {{ ref('stg_reference__commune_crosswalk_2025') }}

),

final as (

    select
        old_commune_code,
        old_province_code,
        new_commune_code,
        new_province_code,
        is_partial

    from crosswalk

)

select * from final
