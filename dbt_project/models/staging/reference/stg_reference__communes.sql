with

source as (

    select * from {{ source('reference', 'communes') }}

),

final as (

    select
        commune_code,
        name_vi,
        unit_type,
        province_code,
        district_code,
        district_name_vi,
        valid_from,
        valid_to

    from source

)

select * from final
