{#
    One row per current child_records submission with what its rows in int_child_records_accepted
    are built from besides its raw rows: the file (arrived_at), its validation (validated_at: the
    quarantined rows and the x/empty reading are written then) and the two reference lists the model
    looks groups and ethnic groups up in. A row built from another version is stale: the incremental build rebuilds the
    submission and its pre-hook deletes rows no current version explains.
#}
{% macro child_record_source_versions() -%}
    select
        submissions.submission_id,
        md5(
            submissions.arrived_at::text
            || '|' || coalesce(submissions.validated_at::text, '')
            || '|' || reference_lists.fingerprint
        ) as source_version
    from {{ ref('int_submissions_current') }} as submissions
    cross join (
        select md5(
            (
                select coalesce(string_agg(circumstances::text, ';' order by circumstances.code), '')
                from {{ ref('stg_reference__special_circumstances') }} as circumstances
            )
            || '|'
            || (
                select coalesce(string_agg(ethnic_groups::text, ';' order by ethnic_groups.ethnic_code), '')
                from {{ ref('stg_reference__ethnic_groups') }} as ethnic_groups
            )
        ) as fingerprint
    ) as reference_lists
    where submissions.submission_type = 'child_records'
    -- OFFSET 0 keeps this a subquery of its own: pulled up into a join, each comparison with a row's
    -- source_version computed the MD5 of the reference lists again (10 s a night at 1M records).
    offset 0
{%- endmacro %}

{#
    One row per current child_records submission with what its rows in int_child_records_linked are
    built from: its accepted rows' version (above) and its links, which change only when linkage by
    ID replaces them (the ledger's linked_at) and when probabilistic linkage and pseudonyms finish
    (matched_at). Reviewers' decisions are applied in the latter. A pseudonym key rotation rewrites
    the links without either: it rebuilds the marts with a full refresh (docs/operations.md).
#}
{% macro child_record_link_versions() -%}
    select
        source_versions.submission_id,
        md5(
            source_versions.source_version
            || '|' || coalesce(submissions.linked_at::text, '')
            || '|' || coalesce(submissions.matched_at::text, '')
        ) as link_version
    from ({{ child_record_source_versions() }}) as source_versions
    inner join {{ ref('int_submissions_current') }} as submissions
        on source_versions.submission_id = submissions.submission_id
    offset 0
{%- endmacro %}

{#
    The current child_records submissions whose rows in the model being built (incremental by
    submission) are missing or were built from another version: what tonight's build must read.
    `versions` is a query of submission_id and `version_column` (one of the macros above). Asked of
    the database when the model runs; an empty list at parse time.
#}
{% macro submissions_to_rebuild(versions, version_column) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select current_versions.submission_id
        from ({{ versions }}) as current_versions
        where not exists (
            select from {{ this }} as built
            where built.submission_id = current_versions.submission_id
                and built.{{ version_column }} = current_versions.{{ version_column }}
        )
        order by current_versions.submission_id
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{#
    The pre-hook of a model incremental by submission: delete every row no current version explains
    (a superseded or reopened submission, or one whose rows were all quarantined), with the same
    `versions` and `version_column` as submissions_to_rebuild. Before the night's rows go in, not
    after: a resubmission's rows have the keys of the version they replace, and
    int_child_records_accepted's key is a constraint (enforce_key). The list to rebuild was read
    when the model was compiled, before.
#}
{% macro delete_rows_of_other_versions(versions, version_column) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as built where not exists (
            select from ({{ versions }}) as current_versions
            where current_versions.submission_id = built.submission_id
                and current_versions.{{ version_column }} = built.{{ version_column }}
        )
    {%- endif -%}
{%- endmacro %}
