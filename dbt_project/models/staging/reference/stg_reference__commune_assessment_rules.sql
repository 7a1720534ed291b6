with

source as (

    select * from {{ source('reference', 'commune_assessment_rules') }}

),

final as (

    select
        commune_type,
        name_vi,
        name_en,
        criterion_max,
        min_total,
        source as rule_source

    from source

)

select * from final
