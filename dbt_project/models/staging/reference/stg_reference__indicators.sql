with

source as (

    select * from {{ source('reference', 'indicators') }}

),

final as (

    select
        indicator_code,
        name_vi,
        name_en,
        unit,
        kind,
        numerator,
        denominator,
        disaggregations,
        must_not_exceed

    from source

)

select * from final
