{#
    Row-level security on an analyst mart, as a post-hook (dbt recreates the table on every build, and
    policies go with the old table). FORCE applies it to the owner too. The national analyst and the
    transformer see every row; a provincial analyst sees its own province's rows, decided by
    util.analyst_can_see (migration 0006_access.sql), which maps pre-reform codes to today's province.
#}
{% macro restrict_rows_to_province(province_column='province_code', period_column='period') -%}
    alter table {{ this }} enable row level security;
    alter table {{ this }} force row level security;
    create policy national_reads_all on {{ this }} for select
        to analyst_national, transformer using (true);
    create policy province_reads_own on {{ this }} for select
        to analyst_province
        using (util.analyst_can_see(current_user::text, {{ province_column }}, {{ period_column }}))
{%- endmacro %}
