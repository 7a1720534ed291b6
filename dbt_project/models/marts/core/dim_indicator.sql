-- The indicator catalogue provinces report against (Circular 13/2021 domains).
with

indicators as (

    select * from {{ ref('stg_reference__indicators') }}

),

final as (

    select
        indicator_code,
        name_vi,
        name_en,
        unit,
        kind,
        kind = 'stock' as is_stock,
        kind = 'flow' as is_flow,
        numerator,
        denominator,
        string_to_array(disaggregations, ';') as disaggregation_dimensions,
        must_not_exceed

    from indicators

)

select * from final
