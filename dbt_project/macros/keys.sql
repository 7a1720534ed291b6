{#
    A post-hook: the model's key as a constraint PostgreSQL enforces (`constraint`: primary_key or
    unique), for models that are rebuilt a few submissions or children a night but hold every
    child's rows. A nightly data test of such a key scanned and grouped the whole table (about a second
    a key at a million records) to check the few thousand rows the night wrote; the constraint checks
    just those rows as they are written, and fails the model's build if one breaks it, which stops the
    models built from it as a failing test does. The key is tested in the catalogue instead
    (tests/generic/enforced_by_constraint.sql), which also fails if this hook ever stops adding it.

    Used where it shortens the night: int_child_records_accepted (whose index on submission_id the
    unique key replaces) and fct_child_status_history (the last model of the chain, whose key test
    the night waited for). int_child_records_linked and fct_child_status keep their data tests:
    with the constraint, their build took 0.9 s and 1.6 s longer in the 1M bench's incremental
    night, on the chain every later model waits for, while their tests had run beside it.

    Added when the table has no such constraint on exactly these columns: after every full build (a
    new table) and once on a warehouse built before the hook existed. A primary key's columns become
    not null. The models must write no row twice under the key at any moment of their build: those
    incremental by submission delete the rows of other versions in a pre-hook, before the night's rows
    go in, and not after.
#}
{% macro enforce_key(constraint, column_names) -%}
    {%- set kinds = {'primary_key': ('p', 'primary key'), 'unique': ('u', 'unique')} -%}
    do $enforce_key$
    begin
        if not exists (
            select
            from pg_catalog.pg_constraint as enforced
            where
                enforced.conrelid = '{{ this }}'::regclass
                and enforced.contype = '{{ kinds[constraint][0] }}'
                and array(
                    select key_column.attname::text
                    from pg_catalog.pg_attribute as key_column
                    where
                        key_column.attrelid = enforced.conrelid
                        and key_column.attnum = any(enforced.conkey)
                    order by key_column.attname
                ) = array['{{ column_names | sort | join("', '") }}']::text []
        ) then
            alter table {{ this }} add {{ kinds[constraint][1] }} ({{ column_names | join(', ') }});
        end if;
    end
    $enforce_key$
{%- endmacro %}
