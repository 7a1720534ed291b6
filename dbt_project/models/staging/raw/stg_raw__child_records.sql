-- One row per raw child record, each cell parsed. The list cells (Article 10 groups, support types)
-- are split and aggregated per row (lateral), so a filter on submission_id reaches the raw table's
-- index: an incremental build parses only the submissions it rebuilds.
with

source as (

    select * from {{ source('raw', 'child_records') }}

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
        circumstances.special_circumstance_keys,
        {{ parse_yes_no('source.at_risk') }} as is_at_risk,
        {{ parse_yes_no('source.supported') }} as is_supported,
        supports.support_type_codes,
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
    -- The Article 10 groups as sent, in the order sent, each read as a key (letter or number) that
    -- int_child_records_accepted looks up in the reference list.
    cross join
        lateral (
            select
                coalesce(
                    array_agg({{ special_circumstance_key('item.item_text') }} order by item.item_number),
                    '{}'::text[]
                ) as special_circumstance_keys
            from
                {{ split_list('source.special_circumstances') }}
                with ordinality as item (item_text, item_number)
            where {{ clean_text('item.item_text') }} is not null
        ) as circumstances
    cross join
        lateral (
            select
                coalesce(
                    array_agg(
                        distinct {{ normalise_code('item.item_text') }}
                        order by {{ normalise_code('item.item_text') }}
                    ) filter (
                        where {{ normalise_code('item.item_text') }} in (
                            'tro_cap_xa_hoi', 'bhyt', 'giao_duc', 'y_te',
                            'cham_soc_thay_the', 'tu_van', 'khac'
                        )
                    ),
                    '{}'::text[]
                ) as support_type_codes
            from {{ split_list('source.support_types') }} as item (item_text)
            where {{ clean_text('item.item_text') }} is not null
        ) as supports

)

select * from final
