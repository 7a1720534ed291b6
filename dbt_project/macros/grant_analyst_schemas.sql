{#
    Analysts enter the marts schema (tables are granted per model). Run at the end of every
    invocation; the schema itself is made by the migrations (0015_pipeline_roles.sql), owned by the
    transformer. The reference schema is granted by its migration (0013_reference_lists.sql).
#}
{% macro grant_analyst_schemas() -%}
    grant usage on schema marts to analyst_national, analyst_province
{%- endmacro %}
