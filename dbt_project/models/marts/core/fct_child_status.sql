{{
    config(
        materialized='incremental',
        unique_key='period',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}
-- The status of each linked child per period: one row per child (its pseudonym) and child_records
-- period. A child recorded twice in a period (a duplicate, or a move not yet closed) keeps one row,
-- the managed record first, and records_in_period says how many there were. Incremental by period:
-- a night rebuilds only the periods whose current submissions or links changed since the last build
-- (delete+insert of the whole period, so a child who left a period's records leaves its rows too).
with

child_records as (

    select * from {{ ref('int_child_records_linked') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'child_records'

),

provinces as (

    select * from {{ ref('dim_province') }}

),

period_changes as (

    select
        child_records.period,
        max(greatest(current_submissions.validated_at, child_records.linked_at)) as source_changed_at
    from child_records
    inner join current_submissions
        on child_records.submission_id = current_submissions.submission_id
    group by child_records.period

),

periods_to_build as (

    select * from period_changes
    {% if is_incremental() %}
        where source_changed_at > (
                select coalesce(max(built.source_changed_at), '-infinity') as last_built
                from {{ this }} as built
            )
    {% endif %}

),

ranked_records as (

    select
        child_records.*,
        periods_to_build.source_changed_at,
        count(*) over (
            partition by child_records.child_pseudonym, child_records.period
        ) as records_in_period,
        row_number() over (
            partition by child_records.child_pseudonym, child_records.period
            order by
                child_records.is_active desc, child_records.province_code asc, child_records.record_id asc
        ) as record_rank
    from child_records
    inner join periods_to_build
        on child_records.period = periods_to_build.period
    where child_records.is_linked and child_records.child_pseudonym is not null

),

final as (

    select
        ranked_records.child_pseudonym,
        ranked_records.period,
        ranked_records.period_end_date,
        ranked_records.province_code,
        provinces.today_province_code,
        ranked_records.commune_code,
        ranked_records.record_status,
        ranked_records.is_active,
        ranked_records.age_years_at_period_end,
        {{ age_group('ranked_records.age_years_at_period_end') }} as age_group,
        ranked_records.sex,
        ranked_records.ethnicity_code,
        ranked_records.household_poverty,
        ranked_records.special_circumstance_codes,
        ranked_records.has_special_circumstance,
        ranked_records.is_at_risk,
        ranked_records.is_supported,
        ranked_records.support_type_codes,
        ranked_records.has_disability,
        ranked_records.link_method,
        ranked_records.records_in_period,
        md5(concat_ws(
            '|', ranked_records.province_code, ranked_records.commune_code, ranked_records.record_status,
            array_to_string(ranked_records.special_circumstance_codes, ';'), ranked_records.is_at_risk,
            ranked_records.is_supported, ranked_records.household_poverty, ranked_records.has_disability
        )) as status_hash,
        ranked_records.source_changed_at

    from ranked_records
    left join provinces
        on
            ranked_records.province_code = provinces.province_code
            and ranked_records.period_end_date between provinces.valid_from
            and coalesce(provinces.valid_to, date '9999-12-31')
    where ranked_records.record_rank = 1

)

select * from final
