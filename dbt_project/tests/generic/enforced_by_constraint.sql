{#
    A key PostgreSQL itself enforces on a table: a validated primary key, unique or foreign key
    constraint on exactly these columns (a foreign key into `to`, schema.table). It reads the
    catalogue, not the rows: the database refused every row that would break the constraint, so a
    nightly scan of millions of rows could find nothing it has not, and this test fails (one row)
    if a migration ever drops or weakens the constraint. A primary key's columns are also not null.
#}
{% test enforced_by_constraint(model, constraint, column_names, to=none) %}

    select '{{ constraint }} ({{ column_names | sort | join(", ") }}) is not enforced' as problem
    where not exists (
        select
        from pg_catalog.pg_constraint as enforced
        where
            enforced.conrelid = '{{ model }}'::regclass
            and enforced.contype = '{{ {'primary_key': 'p', 'unique': 'u', 'foreign_key': 'f'}[constraint] }}'
            and enforced.convalidated
            and array(
                select key_column.attname::text
                from pg_catalog.pg_attribute as key_column
                where
                    key_column.attrelid = enforced.conrelid
                    and key_column.attnum = any(enforced.conkey)
                order by key_column.attname
            ) = array['{{ column_names | sort | join("', '") }}']::text []
            and ({{ 'enforced.confrelid = ' ~ "'" ~ to ~ "'::regclass" if to else 'true' }})
    )

{% endtest %}
