{#
    An effective-dated list: no two versions of the same code are valid on the same day, and no
    version ends before it starts. Joins on code + date rely on this.

    One sort of the versions by code and start: a version overlaps when it starts on or before the
    latest end of the versions sorted before it, so two versions starting on the same day overlap too
    (the self-join this replaced compared starts strictly and let that pair pass). Each overlapping
    version is one failing row. On a million children's history: about 1.1 s, the self-join 1.4-1.7 s.
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

    ordered as (

        select
            code,
            valid_from,
            valid_to,
            max(valid_to) over (
                partition by code order by valid_from, valid_to
                rows between unbounded preceding and 1 preceding
            ) as latest_earlier_end
        from versions

    ),

    overlapping as (

        select
            code,
            valid_from,
            valid_to,
            'overlaps an earlier version' as problem
        from ordered
        where latest_earlier_end >= valid_from

    )

    select * from inverted
    union all
    select * from overlapping

{% endtest %}
