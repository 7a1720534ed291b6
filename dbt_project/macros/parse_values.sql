{#
    Parsers for the value forms of the submission contract (section 2). Each returns null for a
    value it cannot read: raw keeps the original, and validation has already reported it.
    Yes/no, sex and personal IDs are parsed by the warehouse's util.* functions (one implementation
    shared with validation and linkage); these macros only name them for the models.
#}

{#
    Yes/no: Có/Không, co/khong, x, 1/0, yes/no, true/false (any case, with or without diacritics),
    and the shorthands c/k that util.parse_yes_no also reads. Empty is null ("not stated"), never false.
#}
{% macro parse_yes_no(expression) -%}
    util.parse_yes_no({{ expression }})
{%- endmacro %}

{#
    The names of the listed columns that are empty in this row (trimmed), for the contract's x/empty
    pair: int_child_records_accepted reads an empty yes/no cell as false where the file's ledger
    entry lists that column in empty_means_no (validation decided; validation/yes_no.py).
#}
{% macro empty_columns(source_relation, columns) -%}
    {%- set items = [] -%}
    {%- for column in columns -%}
        {%- do items.append(
            "case when " ~ clean_text(source_relation ~ "." ~ column) ~ " is null then '" ~ column ~ "' end"
        ) -%}
    {%- endfor -%}
    array_remove(array[{{ items | join(', ') }}], null)
{%- endmacro %}

{#
    A yes/no value as the file meant it: false where the cell is empty and the file uses the x/empty
    pair in that column (`empty_means_no`, from the ledger), else the parsed value (empty: null).
#}
{% macro yes_no_as_meant(column, parsed, relation='records_without_errors') -%}
    case
        when '{{ column }}' = any({{ relation }}.empty_yes_no_columns)
            and '{{ column }}' = any({{ relation }}.empty_means_no)
            then false
        else {{ relation }}.{{ parsed }}
    end
{%- endmacro %}

{# Sex: Nam/Nữ, M/F, 1 (male)/2 (female), male/female -> 'male' / 'female'; anything else null. #}
{% macro parse_sex(expression) -%}
    util.parse_sex({{ expression }})
{%- endmacro %}

{#
    A 12-digit personal ID (số định danh cá nhân), trimmed; spaces between digit groups, as printed on
    the ID card ('001 203 012 345'), are removed, as util.parse_personal_id (linkage) does. Else null.
#}
{% macro parse_personal_id(expression) -%}
    util.parse_personal_id({{ expression }})
{%- endmacro %}

{# True when something was sent but it is not a 12-digit personal ID (so personal_id is null). #}
{% macro is_malformed_personal_id(expression) -%}
    coalesce(regexp_replace({{ clean_text(expression) }}, '\s', '', 'g') !~ '^[0-9]{12}$', false)
{%- endmacro %}

{# A 5-digit commune code; Excel may have dropped leading zeros ('4' -> '00004'): util.parse_commune_code,
   the one definition validation, ingest and linkage read too. #}
{% macro parse_commune_code(expression) -%}
    util.parse_commune_code({{ expression }})
{%- endmacro %}
