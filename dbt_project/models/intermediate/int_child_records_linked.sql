{{
    config(
        materialized='incremental',
        unique_key='submission_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        indexes=[{'columns': ['submission_id']}],
        pre_hook=["{{ delete_rows_of_other_versions(child_record_link_versions(), 'link_version') }}"],
        post_hook=["{{ enforce_key('primary_key', ['province_code', 'period', 'record_id']) }}"]
    )
}}
{%- set to_rebuild = (
    submissions_to_rebuild(child_record_link_versions(), 'link_version') if is_incremental() else []
) %}
-- Accepted child records with their link to the population register, when the linkage found one.
--
-- Incremental by submission, as int_child_records_accepted: a night builds the current submissions
-- whose accepted rows or links changed (link_version, see child_record_link_versions), and the
-- pre-hook deletes every row no current version explains. The key (province, period, record) is a
-- constraint (enforce_key), tested in the catalogue. A pseudonym key rotation rewrites the
-- links' pseudonyms without a new version, so it rebuilds this model with a full refresh.
with

child_records as (

    select * from {{ ref('int_child_records_accepted') }}
    {% if is_incremental() %}
        where submission_id in ({{ to_rebuild | join(', ') or 'null' }})
    {% endif %}

),

child_links as (

    select * from {{ ref('stg_links__child_links') }}
    {% if is_incremental() %}
        where submission_id in ({{ to_rebuild | join(', ') or 'null' }})
    {% endif %}

),

link_versions as (

    {{ child_record_link_versions() }}

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
        coalesce(child_links.is_linked, false) as is_linked,
        link_versions.link_version

    from child_records
    inner join link_versions
        on child_records.submission_id = link_versions.submission_id
    left join child_links
        on
            child_records.submission_id = child_links.submission_id
            and child_records.source_row = child_links.source_row

)

select * from final
