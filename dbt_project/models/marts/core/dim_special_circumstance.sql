-- The 14 groups of children in special circumstances (Law on Children 2016, Article 10).
with

groups as (

    select * from {{ ref('stg_reference__special_circumstances') }}

),

final as (

    select
        code as special_circumstance_code,
        number as group_number,
        law_letter,
        name_vi,
        name_en,
        decree_56_2017_article

    from groups

)

select * from final
