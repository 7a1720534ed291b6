{#
    Use a model's custom schema as is (staging, intermediate, marts, reference) instead of dbt's
    default "<target schema>_<custom schema>"; nodes without one land in the target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
