with

source as (

    select * from {{ source('reference', 'commune_crosswalk_2025') }}

),

final as (

    select
        old_commune_code,
        old_name_vi,
        old_province_code,
        new_commune_code,
        new_name_vi,
        new_province_code,
        is_partial

    from source

)

select * from final
