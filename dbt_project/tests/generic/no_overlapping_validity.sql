{#
    An effective-dated reference list: no two versions of the same code are valid on the same day,
    and no version ends before it starts. Joins on code + date rely on this.
#}
{% test no_overlapping_validity(model, column_name, valid_from='valid_from', valid_to='valid_to') %}

    with

    versions as (

        select
            {{ column_name }} as code,
            {{ valid_from }} as valid_from,
            coalesce({{ valid_to }}, date '9999-12-31') as valid_to
        from {{ model }}

    ),

    inverted as (

        select
            code,
            valid_from,
            valid_to,
            'ends before it starts' as problem
        from versions
        where valid_to < valid_from

    ),

    overlapping as (

        select
            earlier.code,
            earlier.valid_from,
            earlier.valid_to,
            'overlaps a later version' as problem
        from versions as earlier
        inner join versions as later
            on
                earlier.code = later.code
                and earlier.valid_from < later.valid_from
                and earlier.valid_to >= later.valid_from

    )

    select * from inverted
    union all
    select * from overlapping

{% endtest %}
