with

source as (

    select * from {{ source('raw', 'programme_activities') }}

),

final as (

    select
        submission_id,
        source_row,
        {{ parse_enum(
            'activity_type', ['thang_hanh_dong', 'lop_hoc_boi', 'diem_vui_choi', 'tap_huan', 'khac']
        ) }} as activity_type,
        {{ parse_commune_code('commune_code') }} as commune_code,
        {{ parse_vn_number('activities') }} as activities,
        {{ parse_vn_number('children_reached') }} as children_reached,
        {{ parse_vn_number('spending_vnd') }} as spending_vnd,
        normalize({{ clean_text('note') }}, nfc) as note

    from source

)

select * from final
