with

source as (

    select * from {{ source('raw', 'child_records') }}

),

circumstance_items as (

    select
        source.submission_id,
        source.source_row,
        {{ special_circumstance_key('item.item_text') }} as circumstance_key,
        item.item_number
    from source
    cross join
        lateral {{ split_list('source.special_circumstances') }} with ordinality
            as item (item_text, item_number)
    where {{ clean_text('item.item_text') }} is not null

),

-- The Article 10 groups as sent, in the order sent, each read as a key (letter or number) that
-- int_child_records_accepted looks up in the reference list.
circumstances_parsed as (

    select
        submission_id,
        source_row,
        array_agg(circumstance_key order by item_number) as special_circumstance_keys
    from circumstance_items
    group by submission_id, source_row

),

support_items as (

    select
        source.submission_id,
        source.source_row,
        {{ normalise_code('item.item_text') }} as support_type_code
    from source
    cross join lateral {{ split_list('source.support_types') }} as item (item_text)
    where {{ clean_text('item.item_text') }} is not null

),

supports_parsed as (

    select
        submission_id,
        source_row,
        array_agg(distinct support_type_code order by support_type_code) filter (
            where support_type_code in (
                'tro_cap_xa_hoi', 'bhyt', 'giao_duc', 'y_te', 'cham_soc_thay_the', 'tu_van', 'khac'
            )
        ) as support_type_codes
    from support_items
    group by submission_id, source_row

),

final as (

    select
        source.submission_id,
        source.source_row,
        {{ clean_text('source.record_id') }} as record_id,
        {{ parse_commune_code('source.commune_code') }} as commune_code,
        {{ clean_name('source.full_name') }} as full_name,
        {{ parse_vn_date('source.date_of_birth') }} as birth_date,
        {{ parse_sex('source.sex') }} as sex,
        {{ ethnicity_key('source.ethnicity_code') }} as ethnicity_key,
        {{ parse_personal_id('source.personal_id') }} as personal_id,
        {{ is_malformed_personal_id('source.personal_id') }} as has_malformed_personal_id,
        {{ clean_name('source.caregiver_name') }} as caregiver_name,
        {{ parse_personal_id('source.caregiver_personal_id') }} as caregiver_personal_id,
        {{ parse_enum('source.household_poverty', ['ngheo', 'can_ngheo', 'khong']) }} as household_poverty,
        coalesce(circumstances_parsed.special_circumstance_keys, '{}'::text[]) as special_circumstance_keys,
        {{ parse_yes_no('source.at_risk') }} as is_at_risk,
        {{ parse_yes_no('source.supported') }} as is_supported,
        coalesce(supports_parsed.support_type_codes, '{}'::text[]) as support_type_codes,
        {{ parse_yes_no('source.has_disability') }} as has_disability,
        {{ parse_yes_no('source.has_health_insurance') }} as has_health_insurance,
        {{ parse_yes_no('source.birth_registered') }} as is_birth_registered,
        {{ empty_columns('source', ['at_risk', 'supported', 'has_disability', 'has_health_insurance',
                                    'birth_registered']) }} as empty_yes_no_columns,
        case
            when {{ clean_text('source.record_status') }} is null then 'dang_quan_ly'
            else {{ parse_enum(
                'source.record_status', ['dang_quan_ly', 'chuyen_di', 'du_16_tuoi', 'tu_vong']
            ) }}
        end as record_status,
        {{ parse_vn_date('source.updated_on') }} as record_updated_date

    from source
    left join circumstances_parsed
        on
            source.submission_id = circumstances_parsed.submission_id
            and source.source_row = circumstances_parsed.source_row
    left join supports_parsed
        on
            source.submission_id = supports_parsed.submission_id
            and source.source_row = supports_parsed.source_row

)

select * from final
