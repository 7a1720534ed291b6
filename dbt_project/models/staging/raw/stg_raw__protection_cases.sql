with

source as (

    select * from {{ source('raw', 'protection_cases') }}

),

final as (

    select
        submission_id,
        source_row,
        {{ clean_text('case_id') }} as case_id,
        {{ clean_text('record_id') }} as record_id,
        {{ clean_name('full_name') }} as full_name,
        {{ parse_vn_date('date_of_birth') }} as birth_date,
        {{ parse_sex('sex') }} as sex,
        {{ parse_personal_id('personal_id') }} as personal_id,
        {{ is_malformed_personal_id('personal_id') }} as has_malformed_personal_id,
        {{ parse_commune_code('commune_code') }} as commune_code,
        {{ parse_enum('case_type', [
            'xam_hai_tinh_duc', 'bao_luc', 'boc_lot', 'mua_ban', 'bo_roi', 'xam_hai_khac',
            'duoi_nuoc', 'tai_nan_giao_thong', 'tai_nan_khac',
        ]) }} as case_type,
        {{ parse_vn_date('occurred_on') }} as occurred_date,
        {{ parse_vn_date('detected_on') }} as detected_date,
        {{ parse_enum('outcome', ['tu_vong', 'bi_thuong', 'khong']) }} as outcome,
        {{ parse_enum('intervention_status', ['da_can_thiep', 'dang_xu_ly', 'chua_can_thiep']) }}
            as intervention_status,
        {{ parse_vn_date('intervened_on') }} as intervened_date,
        {{ clean_text('referred_to') }} as referred_to

    from source

)

select * from final
