with

source as (

    select * from {{ source('raw', 'commune_assessment') }}

),

final as (

    select
        submission_id,
        source_row,
        {{ parse_commune_code('commune_code') }} as commune_code,
        {{ parse_enum('commune_type', ['phuong', 'xa', 'dac_khu']) }} as commune_type,
        {%- for i in range(1, 14) %}
            {{ parse_vn_number('criterion_%02d' % i) }} as criterion_{{ '%02d' % i }},
        {%- endfor %}
        {{ parse_vn_number('total_score') }} as total_score,
        {{ parse_yes_no('recognised') }} as is_recognised_declared,
        {{ clean_text('decision_no') }} as decision_no

    from source

)

select * from final
