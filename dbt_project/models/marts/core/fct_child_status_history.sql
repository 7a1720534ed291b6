-- The history of each linked child's status (slowly changing dimension, type 2): one row per child and
-- version, a new version whenever the status of fct_child_status changes from one period to the next
-- (province, commune, record status, Article 10 groups, at risk, supported, poverty, disability).
-- Rebuilt from the per-period fact on every night, so history is never lost and a correction to an
-- old period rewrites the versions after it, which a timestamp-based snapshot could not.
with

child_status as (

    select * from {{ ref('fct_child_status') }}

),

changes as (

    select
        *,
        coalesce(
            status_hash <> lag(status_hash) over (partition by child_pseudonym order by period_end_date),
            true
        ) as is_new_version
    from child_status

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
        numbered.status_hash

    from versions
    inner join numbered
        on
            versions.child_pseudonym = numbered.child_pseudonym
            and versions.version_number = numbered.version_number
            and versions.valid_from = numbered.period_end_date

)

select * from final
