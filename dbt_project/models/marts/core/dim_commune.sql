-- Communes, effective-dated: one row per commune version (about 10,000 before 1 July 2025, 3,321
-- after; codes reused), with the commune of today it became when it went whole into one.
with

communes as (

    select * from {{ ref('stg_reference__communes') }}

),

crosswalk as (

    select * from {{ ref('stg_reference__commune_crosswalk_2025') }}

),

-- A commune split across several new ones (is_partial) has no single commune of today.
whole_moves as (

    select
        old_commune_code,
        min(new_commune_code) as new_commune_code,
        min(new_province_code) as new_province_code,
        count(distinct new_commune_code) as new_communes
    from crosswalk
    group by old_commune_code

),

final as (

    select
        communes.commune_code || '@' || communes.valid_from as commune_version_id,
        communes.commune_code,
        communes.valid_from,
        communes.valid_to,
        communes.name_vi as commune_name_vi,
        communes.unit_type,
        communes.province_code,
        communes.district_code,
        communes.district_name_vi,
        communes.valid_to is null as is_current,
        communes.valid_from < date '2025-07-01' as is_pre_reform,
        case
            when communes.valid_from >= date '2025-07-01' then communes.commune_code
            when whole_moves.new_communes = 1 then whole_moves.new_commune_code
        end as today_commune_code,
        case
            when communes.valid_from >= date '2025-07-01' then communes.province_code
            else whole_moves.new_province_code
        end as today_province_code

    from communes
    left join whole_moves
        on
            communes.commune_code = whole_moves.old_commune_code
            and communes.valid_from < date '2025-07-01'

)

select * from final
