{#
    A (possibly composite) primary key: every key column filled and no key repeated.
    Fails with one row per null or repeated key; dbt-utils-free, as no packages are installed.
#}
{% test primary_key(model, column_names) %}

    {%- set key_columns = column_names | join(', ') %}

    with

    key_rows as (

        select {{ key_columns }}
        from {{ model }}

    ),

    null_keys as (

        select
            {{ key_columns }},
            'a key column is null' as problem
        from key_rows
        where
            {%- for key_column in column_names %}
                {% if not loop.first %}or {% endif %}{{ key_column }} is null
            {%- endfor %}

    ),

    repeated_keys as (

        select
            {{ key_columns }},
            'the key is repeated' as problem
        from key_rows
        group by {{ key_columns }}
        having count(*) > 1

    )

    select * from null_keys
    union all
    select * from repeated_keys

{% endtest %}
