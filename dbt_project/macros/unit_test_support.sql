{#
    Unit-test fixtures cast every value to its column's type. PostgreSQL reports an array column's
    type as just 'ARRAY' (information_schema), which is not castable; every array in this project is
    text[] (special_circumstance_codes, support_type_codes, link_flags), so fixtures cast to that.
    Other types keep dbt's default behaviour.
#}
{% macro postgres__safe_cast(field, type) -%}
    {%- if type | upper == 'ARRAY' -%}
        cast({{ field }} as text[])
    {%- else -%}
        {{ dbt.default__safe_cast(field, type) }}
    {%- endif -%}
{%- endmacro %}
