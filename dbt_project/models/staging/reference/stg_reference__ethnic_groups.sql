with

source as (

    select * from {{ source('reference', 'ethnic_groups') }}

),

final as (

    select
        ethnic_code,
        name_vi,
        name_ascii,
        pop_share_2019_pct,
        pop_share_source

    from source

)

select * from final
