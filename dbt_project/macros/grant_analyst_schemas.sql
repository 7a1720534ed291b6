{#
    Analysts enter the schemas dbt creates (tables are granted per model). Run at the end of every
    invocation; a seed-only run has no marts schema yet, so only existing schemas are granted.
#}
{% macro grant_analyst_schemas() -%}
    do $$
    declare
        schema_name text;
    begin
        foreach schema_name in array array['marts', 'reference'] loop
            if exists (select from pg_namespace where nspname = schema_name) then
                execute format('grant usage on schema %I to analyst_national, analyst_province', schema_name);
            end if;
        end loop;
    end
    $$
{%- endmacro %}
