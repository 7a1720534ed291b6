-- Protection cases as each monthly submission reported them: one row per province, period and case,
-- with the time from detection to intervention. victim_key tells the children apart (one child can
-- be the victim of several cases) without carrying their IDs: an md5 of the personal ID, else of the
-- record or case id. Restricted: case-level rows never reach analysts, only the marts' counts do.
with

protection_cases as (

    select * from {{ ref('int_protection_cases_accepted') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

final as (

    select
        protection_cases.province_code,
        protection_cases.period,
        periods.period_type,
        periods.period_start_date,
        protection_cases.period_end_date,
        protection_cases.case_id,
        md5(
            case
                when protection_cases.personal_id is not null then 'id:' || protection_cases.personal_id
                when protection_cases.record_id is not null
                    then 'record:' || protection_cases.province_code || ':' || protection_cases.record_id
                else 'case:' || protection_cases.province_code || ':' || protection_cases.case_id
            end
        ) as victim_key,
        protection_cases.commune_code,
        protection_cases.sex,
        {{ age_group(
            'extract(year from age(protection_cases.detected_date, protection_cases.birth_date))'
        ) }} as age_group,
        protection_cases.case_type,
        case
            when protection_cases.is_abuse_case then 'abuse'
            when protection_cases.case_type is not null then 'injury'
        end as case_category,
        protection_cases.is_abuse_case,
        protection_cases.is_drowning_case,
        coalesce(protection_cases.outcome = 'tu_vong', false) as is_death,
        protection_cases.outcome,
        protection_cases.intervention_status,
        protection_cases.is_intervened,
        protection_cases.occurred_date,
        protection_cases.detected_date,
        protection_cases.intervened_date,
        protection_cases.days_detection_to_intervention,
        protection_cases.submission_id,
        protection_cases.source_row

    from protection_cases
    inner join periods
        on protection_cases.period = periods.period

)

select * from final
