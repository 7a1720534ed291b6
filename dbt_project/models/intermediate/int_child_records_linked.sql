-- Accepted child records with their link to the population register, when the linkage found one.
with

child_records as (

    select * from {{ ref('int_child_records_accepted') }}

),

child_links as (

    select * from {{ ref('stg_links__child_links') }}

),

final as (

    select
        child_records.submission_id,
        child_records.source_row,
        child_records.province_code,
        child_records.period,
        child_records.period_end_date,
        child_records.record_id,
        child_records.commune_code,
        child_records.birth_date,
        child_records.age_years_at_period_end,
        child_records.sex,
        child_records.ethnicity_code,
        child_records.household_poverty,
        child_records.special_circumstance_codes,
        child_records.has_special_circumstance,
        child_records.is_at_risk,
        child_records.is_supported,
        child_records.support_type_codes,
        child_records.has_disability,
        child_records.has_health_insurance,
        child_records.is_birth_registered,
        child_records.record_status,
        child_records.is_active,
        child_records.personal_id as reported_personal_id,
        child_records.has_malformed_personal_id,
        child_links.personal_id,
        child_links.link_method,
        child_links.match_probability as link_match_probability,
        child_links.link_model_version,
        child_links.linked_at,
        child_links.child_pseudonym,
        coalesce(child_links.is_linked, false) as is_linked

    from child_records
    left join child_links
        on
            child_records.submission_id = child_links.submission_id
            and child_records.source_row = child_links.source_row

)

select * from final
