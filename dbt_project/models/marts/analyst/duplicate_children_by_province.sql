-- Children recorded more than once in a period, found through the personal ID linkage gave them:
-- twice in the same province (a duplicate to clean up) or also in another province (a child who
-- moved and was not closed at the old address). Small cells suppressed: a count of 1-4, or one whose
-- complement within the linked records is 1-4, is null.
with

child_records as (

    select * from {{ ref('int_child_records_linked') }}

),

linked_active as (

    select
        province_code,
        period,
        personal_id
    from child_records
    where is_linked and is_active

),

provinces_per_person as (

    select
        period,
        personal_id,
        count(distinct province_code) as provinces
    from linked_active
    group by period, personal_id

),

records_per_person_here as (

    select
        province_code,
        period,
        personal_id,
        count(*) as records_here
    from linked_active
    group by province_code, period, personal_id

),

flagged as (

    select
        linked_active.province_code,
        linked_active.period,
        count(*) filter (where records_per_person_here.records_here > 1) as records_duplicated_in_province,
        count(*) filter (where provinces_per_person.provinces > 1) as records_also_in_other_province,
        count(*) as records_linked
    from linked_active
    inner join records_per_person_here
        on
            linked_active.province_code = records_per_person_here.province_code
            and linked_active.period = records_per_person_here.period
            and linked_active.personal_id = records_per_person_here.personal_id
    inner join provinces_per_person
        on
            linked_active.period = provinces_per_person.period
            and linked_active.personal_id = provinces_per_person.personal_id
    group by linked_active.province_code, linked_active.period

),

final as (

    select
        province_code,
        period,
        {{ suppress_small_cell('records_linked') }} as records_linked,
        {{ suppress_small_cell('records_duplicated_in_province', 'records_linked') }}
            as records_duplicated_in_province,
        {{ suppress_small_cell('records_also_in_other_province', 'records_linked') }}
            as records_also_in_other_province
    from flagged

)

select * from final
