with

source as (

    select * from {{ source('reference', 'provinces') }}

),

final as (

    select
        province_code,
        name_vi,
        short_name_vi,
        name_en,
        unit_type,
        valid_from,
        valid_to

    from source

)

select * from final
