{{
    config(
        materialized='incremental',
        unique_key='child_pseudonym',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=[
            "{% if is_incremental() %}delete from {{ this }} where version_number = 0{% endif %}",
            "{{ enforce_key('primary_key', ['child_pseudonym', 'version_number']) }}",
        ]
    )
}}
-- The history of each linked child's status (slowly changing dimension, type 2): one row per child and
-- version, a new version whenever the status of fct_child_status changes from one period to the next
-- (province, commune, record status, Article 10 groups, at risk, supported, poverty, disability).
-- Derived from the per-period fact alone, so history is never lost and a correction to an old period
-- rewrites the versions after it, which a timestamp-based snapshot could not.
--
-- Incremental by child: a child's versions are a function of its rows in the fact, so each night
-- compares a fingerprint of those rows (below) with the one its versions were built from, and
-- rebuilds only the children whose fingerprint changed or is new. A column added to the versions
-- must be covered by the fingerprint (through status_hash or beside it). A child no longer
-- in the fact comes out as one row with version_number = 0, which replaces its versions and is then
-- deleted (post-hook). Equal to a full refresh whatever changed the fact, including a resubmission
-- elsewhere that removed one of a child's periods.
with

child_status as (

    select * from {{ ref('fct_child_status') }}

),

-- What a child's versions are built from: each of its periods with the period's status (status_hash
-- covers every status column the versions carry) and today's province. A 64-bit hash of each period,
-- combined by XOR over the child's periods (no sort needed): a period added, dropped or changed
-- changes it.
{%- set period_fingerprint -%}
    hashtextextended(concat_ws('|', period, status_hash, today_province_code), 0)
{%- endset %}

{% if is_incremental() %}
    fingerprints as (

        select
            child_pseudonym,
            bit_xor({{ period_fingerprint }}) as status_fingerprint
        from {{ ref('fct_child_status') }}
        group by child_pseudonym

    ),

    built_fingerprints as (

        select
            child_pseudonym,
            status_fingerprint
        from {{ this }}
        where is_current

    ),
{% endif %}

-- The children whose fingerprint differs from the one their versions were built from: new children,
-- changed ones, and (no fingerprint now) children no longer in the fact. Nothing in a full refresh.
children_changed as materialized (

    {% if is_incremental() %}
        select
            coalesce(fingerprints.child_pseudonym, built_fingerprints.child_pseudonym) as child_pseudonym,
            fingerprints.child_pseudonym is null as is_gone
        from fingerprints
        full join built_fingerprints
            on fingerprints.child_pseudonym = built_fingerprints.child_pseudonym
        where fingerprints.status_fingerprint is distinct from built_fingerprints.status_fingerprint
    {% else %}
        select
            null::text as child_pseudonym,
            false as is_gone
        where false
    {% endif %}

),

-- Children no longer in the fact: a row that replaces their versions, deleted by the post-hook.
children_gone as (

    select
        child_pseudonym,
        0 as version_number
    from children_changed
    where is_gone

),

changes as (

    select
        child_status.*,
        bit_xor({{ period_fingerprint }}) over (
            partition by child_status.child_pseudonym
        ) as status_fingerprint,
        coalesce(
            child_status.status_hash <> lag(child_status.status_hash) over (
                partition by child_status.child_pseudonym order by child_status.period_end_date
            ),
            true
        ) as is_new_version
    from child_status
    {% if is_incremental() %}
        where child_status.child_pseudonym in (
                select children_changed.child_pseudonym from children_changed
                where not children_changed.is_gone
            )
    {% endif %}

),

numbered as (

    select
        *,
        sum(is_new_version::int) over (
            partition by child_pseudonym order by period_end_date rows unbounded preceding
        ) as version_number
    from changes

),

versions as (

    select
        child_pseudonym,
        version_number,
        min(period_end_date) as valid_from,
        max(period_end_date) as last_seen_date,
        count(*) as periods_observed
    from numbered
    group by child_pseudonym, version_number

),

final as (

    select
        versions.child_pseudonym,
        versions.version_number,
        versions.valid_from,
        lead(versions.valid_from) over (
            partition by versions.child_pseudonym order by versions.version_number
        ) - 1 as valid_to,
        lead(versions.valid_from) over (
            partition by versions.child_pseudonym order by versions.version_number
        ) is null as is_current,
        versions.last_seen_date,
        versions.periods_observed,
        numbered.period as first_period,
        numbered.province_code,
        numbered.today_province_code,
        numbered.commune_code,
        numbered.record_status,
        numbered.special_circumstance_codes,
        numbered.has_special_circumstance,
        numbered.is_at_risk,
        numbered.is_supported,
        numbered.household_poverty,
        numbered.has_disability,
        numbered.status_hash,
        numbered.status_fingerprint

    from versions
    inner join numbered
        on
            versions.child_pseudonym = numbered.child_pseudonym
            and versions.version_number = numbered.version_number
            and versions.valid_from = numbered.period_end_date

)

select * from final
{% if is_incremental() %}
    union all
    select
        child_pseudonym,
        version_number,
        null as valid_from,
        null as valid_to,
        null as is_current,
        null as last_seen_date,
        null as periods_observed,
        null as first_period,
        null as province_code,
        null as today_province_code,
        null as commune_code,
        null as record_status,
        null as special_circumstance_codes,
        null as has_special_circumstance,
        null as is_at_risk,
        null as is_supported,
        null as household_poverty,
        null as has_disability,
        null as status_hash,
        null as status_fingerprint
    from children_gone
{% endif %}
