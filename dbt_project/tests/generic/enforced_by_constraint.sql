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
        from ({{ key_constraints(model, constraint, column_names) }}) as enforced
        where
            enforced.convalidated
            and ({{ 'enforced.confrelid = ' ~ "'" ~ to ~ "'::regclass" if to else 'true' }})
    )

{% endtest %}
