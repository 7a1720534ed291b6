{#
    The table's submission_id names a submission in `to` (the ledger), checked by PostgreSQL once per
    statement instead of row by row (migration 0022, for the two tables with a row per child record):
    an enabled AFTER INSERT statement trigger over the inserted rows (util.submissions_referenced),
    a row trigger refusing a change of submission_id (util.submission_id_is_fixed), and on `to` a
    row trigger refusing to delete or rekey a submission still named (util.submission_still_referenced).
    It reads the catalogue, not the rows, as enforced_by_constraint does, and fails (one row) if a
    migration ever drops or disables one of the three.
#}
{% test referenced_per_statement(model, to) %}

    select 'submission_id is not checked against {{ to }}: ' || wanted.function_oid::text || ' is missing' as problem
    from (
        values
        ('{{ model }}'::regclass, 'util.submissions_referenced'::regproc, true),
        ('{{ model }}'::regclass, 'util.submission_id_is_fixed'::regproc, false),
        ('{{ to }}'::regclass, 'util.submission_still_referenced'::regproc, false)
    ) as wanted (table_oid, function_oid, over_the_rows_written)
    where not exists (
        select
        from pg_catalog.pg_trigger as found
        where
            found.tgrelid = wanted.table_oid
            and found.tgfoid = wanted.function_oid
            and found.tgenabled <> 'D'
            and (found.tgnewtable is not null or not wanted.over_the_rows_written)
    )

{% endtest %}
