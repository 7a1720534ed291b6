with

source as (

    select * from {{ source('raw', 'indicator_report') }}

),

final as (

    select
        submission_id,
        source_row,
        lower({{ clean_text('indicator_code') }}) as indicator_code,
        coalesce(
            lower(regexp_replace({{ clean_text('disaggregation') }}, '\s+', '', 'g')), 'total'
        ) as disaggregation,
        {{ clean_text('value') }} as value_text,
        normalize({{ clean_text('note') }}, nfc) as note
    from source

)

select * from final
