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

    select 'submission_id is not checked against {{ to }} by its triggers' as problem
    where
        not exists (
            select
            from pg_catalog.pg_trigger as checked
            where
                checked.tgrelid = '{{ model }}'::regclass
                and checked.tgenabled <> 'D'
                and checked.tgfoid = 'util.submissions_referenced'::regproc
                and checked.tgnewtable is not null
        )
        or not exists (
            select
            from pg_catalog.pg_trigger as fixed
            where
                fixed.tgrelid = '{{ model }}'::regclass
                and fixed.tgenabled <> 'D'
                and fixed.tgfoid = 'util.submission_id_is_fixed'::regproc
        )
        or not exists (
            select
            from pg_catalog.pg_trigger as kept
            where
                kept.tgrelid = '{{ to }}'::regclass
                and kept.tgenabled <> 'D'
                and kept.tgfoid = 'util.submission_still_referenced'::regproc
        )

{% endtest %}
