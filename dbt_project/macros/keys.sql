{#
    A post-hook: the model's key as a constraint PostgreSQL enforces (`constraint`: primary_key or
    unique), for models that are rebuilt a few submissions or children a night but hold every
    child's rows. A nightly data test of such a key scanned and grouped the whole table (about a second
    a key at a million records) to check the few thousand rows the night wrote; the constraint checks
    just those rows as they are written, and fails the model's build if one breaks it, which stops the
    models built from it as a failing test does. The key is tested in the catalogue instead
    (tests/generic/enforced_by_constraint.sql), which also fails if this hook ever stops adding it.

    Used on int_child_records_accepted (whose index on submission_id the unique key replaces),
    int_child_records_linked and fct_child_status_history (the last model of the chain, whose key
    test the night waited for). A constraint's upkeep is paid on the chain of models each later one
    waits for, where a data test ran beside other tests: measured on a 1M warehouse after two provinces
    resubmitted (databases sorting text by bytes, connection.CREATE_DATABASE_OPTIONS; four alternated
    incremental builds each), int_child_records_linked took 0.7 s longer with its key as a
    constraint and fct_child_status started 1.1 s earlier, the build 23.5 s against 24.1 s (median).
    fct_child_status keeps its data test: with the constraint the model took 1.15 s longer, against
    a 1.5 s test that runs beside the model's other tests (a constraint on both measured 1.1 s
    better than neither in three alternated pairs, within the spread of the first alone). Before
    text sorted by bytes, the same constraints cost 0.9 s and 1.6 s in one bench run, and the next
    run's measurements could not tell either way.

    Added when the table has no such constraint on exactly these columns: after every full build (a
    new table) and once on a warehouse built before the hook existed. A primary key's columns become
    not null. The models must write no row twice under the key at any moment of their build: those
    incremental by submission delete the rows of other versions in a pre-hook, before the night's rows
    go in, and not after.
#}
{#
    The constraints of `relation` of kind `constraint` (primary_key, unique or foreign_key) on exactly
    `column_names`, as a query of the catalogue (oid, convalidated, confrelid): what enforce_key adds
    and what the generic test enforced_by_constraint looks for.
#}
{% macro key_constraints(relation, constraint, column_names) -%}
    select
        enforced.oid,
        enforced.convalidated,
        enforced.confrelid
    from pg_catalog.pg_constraint as enforced
    where
        enforced.conrelid = '{{ relation }}'::regclass
        and enforced.contype = '{{ {'primary_key': 'p', 'unique': 'u', 'foreign_key': 'f'}[constraint] }}'
        and array(
            select key_column.attname::text
            from pg_catalog.pg_attribute as key_column
            where
                key_column.attrelid = enforced.conrelid
                and key_column.attnum = any(enforced.conkey)
            order by key_column.attname
        ) = array['{{ column_names | sort | join("', '") }}']::text []
{%- endmacro %}

{% macro enforce_key(constraint, column_names) -%}
    do $enforce_key$
    begin
        if not exists ({{ key_constraints(this, constraint, column_names) }}) then
            alter table {{ this }}
            add {{ {'primary_key': 'primary key', 'unique': 'unique'}[constraint] }} ({{ column_names | join(', ') }});
        end if;
    end
    $enforce_key$
{%- endmacro %}
