with

source as (

    select * from {{ source('reference', 'province_crosswalk_2025') }}

),

final as (

    select
        old_province_code,
        old_name_vi,
        new_province_code,
        new_name_vi

    from source

)

select * from final
