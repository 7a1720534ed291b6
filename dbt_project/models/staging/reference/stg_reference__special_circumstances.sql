with

source as (

    select * from {{ source('reference', 'special_circumstances') }}

),

final as (

    select
        code,
        number,
        law_letter,
        name_vi,
        name_en,
        decree_56_2017_article

    from source

)

select * from final
