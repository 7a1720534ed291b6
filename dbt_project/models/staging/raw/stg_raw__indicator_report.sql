with

source as (

    select * from {{ source('raw', 'indicator_report') }}

),

indicators as (

    select * from {{ ref('stg_reference__indicators') }}

),

normalised as (

    select
        submission_id,
        source_row,
        lower({{ clean_text('indicator_code') }}) as indicator_code,
        coalesce(
            lower(regexp_replace({{ clean_text('disaggregation') }}, '\s+', '', 'g')), 'total'
        ) as disaggregation,
        {{ clean_text('value') }} as value_text,
        {{ clean_text('note') }} as note
    from source

),

-- The indicator's kind decides how an ambiguous '1.234' reads: 1234 people, or a rate of 1.234.
final as (

    select
        normalised.submission_id,
        normalised.source_row,
        normalised.indicator_code,
        normalised.disaggregation,
        normalised.value_text,
        case
            when indicators.kind = 'rate' then {{ parse_vn_number('normalised.value_text', style='decimal') }}
            else {{ parse_vn_number('normalised.value_text', style='count') }}
        end as value_numeric,
        normalised.value_text is not null as is_reported,
        indicators.indicator_code is not null as is_known_indicator,
        normalised.note

    from normalised
    left join indicators
        on normalised.indicator_code = indicators.indicator_code

)

select * from final
