{#
    A (possibly composite) primary key: every key column filled and no key repeated.
    Fails with one row per null or repeated key; dbt-utils-free, as no packages are installed.
#}
{% test primary_key(model, column_names) %}

    with

    key_rows as (

        select {{ column_names | join(', ') }}
        from {{ model }}

    ),

    null_keys as (

        select
            {{ column_names | join(', ') }},
            'a key column is null' as problem
        from key_rows
        where {{ column_names | join(' is null or ') }} is null

    ),

    repeated_keys as (

        select
            {{ column_names | join(', ') }},
            'the key is repeated' as problem
        from key_rows
        group by {{ column_names | join(', ') }}
        having count(*) > 1

    )

    select * from null_keys
    union all
    select * from repeated_keys

{% endtest %}
