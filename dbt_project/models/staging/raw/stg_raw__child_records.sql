with

source as (

    select * from {{ source('raw', 'child_records') }}

),

special_circumstances as (

    select * from {{ ref('stg_reference__special_circumstances') }}

),

ethnic_groups as (

    select * from {{ ref('stg_reference__ethnic_groups') }}

),

-- Every way a province may name an Article 10 group: the law's letter or the group's number.
special_circumstance_keys as (

    select
        law_letter as circumstance_key,
        code as special_circumstance_code
    from special_circumstances
    union all
    select
        number::text as circumstance_key,
        code as special_circumstance_code
    from special_circumstances

),

-- An ethnic group is sent as its 2-digit code or its name, with or without diacritics.
ethnicity_keys as (

    select
        {{ ethnicity_key('ethnic_code') }} as ethnicity_key,
        ethnic_code
    from ethnic_groups
    union
    select
        {{ ethnicity_key('name_vi') }} as ethnicity_key,
        ethnic_code
    from ethnic_groups

),

circumstance_items as (

    select
        source.submission_id,
        source.source_row,
        {{ special_circumstance_key('item.item_text') }} as circumstance_key
    from source
    cross join lateral {{ split_list('source.special_circumstances') }} as item (item_text)
    where {{ clean_text('item.item_text') }} is not null

),

circumstances_parsed as (

    select
        circumstance_items.submission_id,
        circumstance_items.source_row,
        array_agg(
            distinct special_circumstance_keys.special_circumstance_code
            order by special_circumstance_keys.special_circumstance_code
        ) filter (
            where special_circumstance_keys.special_circumstance_code is not null
        ) as special_circumstance_codes,
        bool_or(special_circumstance_keys.special_circumstance_code is null)
            as has_unknown_special_circumstance
    from circumstance_items
    left join special_circumstance_keys
        on circumstance_items.circumstance_key = special_circumstance_keys.circumstance_key
    group by circumstance_items.submission_id, circumstance_items.source_row

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
        ethnicity_keys.ethnic_code as ethnicity_code,
        {{ parse_personal_id('source.personal_id') }} as personal_id,
        {{ is_malformed_personal_id('source.personal_id') }} as has_malformed_personal_id,
        {{ clean_name('source.caregiver_name') }} as caregiver_name,
        {{ parse_personal_id('source.caregiver_personal_id') }} as caregiver_personal_id,
        {{ parse_enum('source.household_poverty', ['ngheo', 'can_ngheo', 'khong']) }} as household_poverty,
        coalesce(circumstances_parsed.special_circumstance_codes, '{}'::text[])
            as special_circumstance_codes,
        coalesce(circumstances_parsed.has_unknown_special_circumstance, false)
            as has_unknown_special_circumstance,
        {{ parse_yes_no('source.at_risk') }} as is_at_risk,
        {{ parse_yes_no('source.supported') }} as is_supported,
        coalesce(supports_parsed.support_type_codes, '{}'::text[]) as support_type_codes,
        {{ parse_yes_no('source.has_disability') }} as has_disability,
        {{ parse_yes_no('source.has_health_insurance') }} as has_health_insurance,
        {{ parse_yes_no('source.birth_registered') }} as is_birth_registered,
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
    left join ethnicity_keys
        on {{ ethnicity_key('source.ethnicity_code') }} = ethnicity_keys.ethnicity_key

)

select * from final
