{{
    config(
        materialized='incremental',
        unique_key=['period', 'child_pseudonym'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook=["{% if is_incremental() %}delete from {{ this }} where records_in_period = 0{% endif %}"]
    )
}}
-- The status of each linked child per period: one row per child (its pseudonym) and child_records
-- period. A child recorded twice in a period (a duplicate, or a move not yet closed) keeps one row,
-- the managed record first, and records_in_period says how many there were.
--
-- Incremental by child: a night rebuilds the children of each province and period whose current
-- submissions or links changed since the last build (source_changed_at, the watermark): every child
-- recorded there now, and every child who was (a resubmission may drop a record), with all of the
-- child's records of the period, from whichever province. A child recorded in two provinces keeps
-- its row from one of them, so a row with more than one record is rebuilt whenever its period
-- changes anywhere. A child left with no record comes out with records_in_period = 0, which
-- replaces its old row and is then deleted (post-hook). At 1M children a resubmission of two
-- provinces rebuilds about 101,000 of the period's 994,000 children; finding them still reads every
-- record once (the latest link time of each submission's records) and every built row, and their
-- records are read again by child. On a 1M warehouse after two provinces resubmitted, the statement
-- took 4.8 s against 5.1 s before (3.3 s against 4.0 s with PostgreSQL's JIT compilation off): the
-- changed places come from one aggregate per submission instead of a materialized copy of every
-- record's place, and the records to build are one semi-join (a `false or exists` had kept it from
-- being planned as one), kept to find the children that are gone.
with

-- Read twice in an incremental build (below): not materialized, or PostgreSQL would copy every
-- record into a temporary store first.
child_records as not materialized (

    select * from {{ ref('int_child_records_linked') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_current') }}
    where submission_type = 'child_records'

),

provinces as (

    select * from {{ ref('dim_province') }}

),

-- Each linked record of a current submission, and when its submission or link last changed.
linked_records as not materialized (

    select
        child_records.*,
        greatest(current_submissions.validated_at, child_records.linked_at) as record_changed_at
    from child_records
    inner join current_submissions
        on child_records.submission_id = current_submissions.submission_id
    where child_records.is_linked and child_records.child_pseudonym is not null

),

{% if is_incremental() %}

    -- The last build's watermark.
    watermark as (

        select coalesce(max(built.source_changed_at), '-infinity') as last_built
        from {{ this }} as built

    ),

    -- When each submission's linked records were last linked: one aggregate over the records' link
    -- times (the records themselves are read below only for the children to build).
    submission_links as (

        select
            child_records.submission_id,
            max(child_records.linked_at) as last_linked_at
        from child_records
        where child_records.is_linked and child_records.child_pseudonym is not null
        group by child_records.submission_id

    ),

    -- The current submissions whose records changed since the last build: validated since, or with a
    -- linked record linked since. A province has one current submission a period, so these are the
    -- changed provinces and periods.
    changed_submissions as materialized (

        select
            current_submissions.submission_id,
            current_submissions.period,
            current_submissions.province_code
        from current_submissions
        left join submission_links
            on current_submissions.submission_id = submission_links.submission_id
        cross join watermark
        where
            greatest(current_submissions.validated_at, submission_links.last_linked_at)
            > watermark.last_built

    ),

    -- The same, as lists: a handful of places tested row by row (a join to them was planned as if
    -- they were thousands).
    changed_places as (

        select
            array_agg(changed_submissions.period || ' ' || changed_submissions.province_code) as place_keys,
            array_agg(distinct changed_submissions.period) as periods
        from changed_submissions

    ),

    -- Every child recorded in a changed place now, and every child whose row came from one or who
    -- had more than one record in a changed period.
    children_to_build as materialized (

        select
            linked_records.period,
            linked_records.child_pseudonym
        from linked_records
        where linked_records.submission_id in (
                select changed_submissions.submission_id from changed_submissions
            )
        union
        select
            built.period,
            built.child_pseudonym
        from {{ this }} as built
        cross join changed_places
        where
            built.period || ' ' || built.province_code = any(changed_places.place_keys)
            or (built.records_in_period > 1 and built.period = any(changed_places.periods))

    ),

    -- Every record of the children to build, wherever recorded.
    records_to_build as materialized (

        select linked_records.*
        from linked_records
        where exists (
                select from children_to_build
                where
                    children_to_build.period = linked_records.period
                    and children_to_build.child_pseudonym = linked_records.child_pseudonym
            )

    ),

    -- The children to build who have no record left: their old row with records_in_period = 0
    -- replaces the old row and is then deleted (post-hook).
    children_gone as (

        select
            built.child_pseudonym,
            built.period,
            built.period_end_date,
            built.province_code,
            built.today_province_code,
            built.commune_code,
            built.record_status,
            built.is_active,
            built.age_years_at_period_end,
            built.age_group,
            built.sex,
            built.ethnicity_code,
            built.household_poverty,
            built.special_circumstance_codes,
            built.has_special_circumstance,
            built.is_at_risk,
            built.is_supported,
            built.support_type_codes,
            built.has_disability,
            built.link_method,
            0 as records_in_period,
            built.status_hash,
            built.source_changed_at
        from {{ this }} as built
        where
            exists (
                select from children_to_build
                where
                    children_to_build.period = built.period
                    and children_to_build.child_pseudonym = built.child_pseudonym
            )
            and not exists (
                select from records_to_build
                where
                    records_to_build.period = built.period
                    and records_to_build.child_pseudonym = built.child_pseudonym
            )

    ),

{% else %}

    -- A full refresh builds every record.
    records_to_build as not materialized (

        select * from linked_records

    ),

{% endif %}

ranked_records as (

    select
        records_to_build.*,
        max(records_to_build.record_changed_at) over (
            partition by records_to_build.child_pseudonym, records_to_build.period
        ) as source_changed_at,
        count(*) over (
            partition by records_to_build.child_pseudonym, records_to_build.period
        ) as records_in_period,
        row_number() over (
            partition by records_to_build.child_pseudonym, records_to_build.period
            order by
                records_to_build.is_active desc,
                records_to_build.province_code asc,
                records_to_build.record_id asc
        ) as record_rank
    from records_to_build

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

-- (sqlfluff lints this `if` apart from the one defining children_gone, hence the noqa)
select * from final
{% if is_incremental() %}
    union all
    select * from children_gone -- noqa: AM04
{% endif %}
