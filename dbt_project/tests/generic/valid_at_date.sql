{#
    An effective-dated relationship: each code in column_name has exactly one version in the
    reference `to` (code column `field`, validity valid_from..valid_to, valid_to null = still valid)
    valid on the row's `date_column`. Codes are reused across the July 2025 reform, so a plain
    relationships test on the code alone would pass for the wrong unit.
#}
{% test valid_at_date(
    model, column_name, date_column, to, field, valid_from='valid_from', valid_to='valid_to'
) %}

    with

    checked_rows as (

        select distinct
            {{ column_name }} as code,
            {{ date_column }} as checked_on
        from {{ model }}
        where {{ column_name }} is not null

    ),

    reference_versions as (

        select
            {{ field }} as code,
            {{ valid_from }} as valid_from,
            {{ valid_to }} as valid_to
        from {{ to }}

    ),

    matches as (

        select
            checked_rows.code,
            checked_rows.checked_on,
            count(reference_versions.code) as valid_versions
        from checked_rows
        left join reference_versions
            on
                checked_rows.code = reference_versions.code
                and checked_rows.checked_on >= reference_versions.valid_from
                and checked_rows.checked_on <= coalesce(reference_versions.valid_to, date '9999-12-31')
        group by checked_rows.code, checked_rows.checked_on

    )

    select * from matches
    where valid_versions <> 1

{% endtest %}
