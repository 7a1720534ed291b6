-- Provinces, effective-dated: one row per province version (the 63 before 1 July 2025, the 34 after,
-- and later renamings), with the province of today each version's figures roll up into.
with

provinces as (

    select * from {{ ref('stg_reference__provinces') }}

),

crosswalk as (

    select * from {{ ref('stg_reference__province_crosswalk_2025') }}

),

current_provinces as (

    select * from provinces
    where valid_to is null

),

final as (

    select
        provinces.province_code || '@' || provinces.valid_from as province_version_id,
        provinces.province_code,
        provinces.valid_from,
        provinces.valid_to,
        provinces.name_vi as province_name_vi,
        provinces.short_name_vi as province_short_name_vi,
        provinces.name_en as province_name_en,
        provinces.unit_type,
        provinces.valid_to is null as is_current,
        provinces.valid_from < date '2025-07-01' as is_pre_reform,
        case
            when provinces.valid_from < date '2025-07-01' then crosswalk.new_province_code
            else provinces.province_code
        end as today_province_code,
        current_provinces.name_vi as today_province_name_vi

    from provinces
    left join crosswalk
        on provinces.province_code = crosswalk.old_province_code
    left join current_provinces
        on
            current_provinces.province_code = case
                when provinces.valid_from < date '2025-07-01' then crosswalk.new_province_code
                else provinces.province_code
            end

)

select * from final
