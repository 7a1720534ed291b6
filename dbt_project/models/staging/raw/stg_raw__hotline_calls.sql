with

source as (

    select * from {{ source('raw', 'hotline_calls') }}

),

final as (

    select
        submission_id,
        source_row,
        lpad({{ clean_text('province_code') }}, 2, '0') as caller_province_code,
        {{ parse_enum('channel', ['dien_thoai', 'ung_dung', 'zalo', 'khac']) }} as channel,
        {{ parse_enum('topic', ['tu_van', 'bao_luc', 'xam_hai_tinh_duc', 'bo_roi', 'thong_tin', 'khac']) }}
            as topic,
        {{ parse_vn_number('calls') }} as calls,
        {{ parse_vn_number('counselling_calls') }} as counselling_calls,
        {{ parse_vn_number('referrals') }} as referrals,
        {{ parse_vn_number('interventions') }} as interventions

    from source

)

select * from final
