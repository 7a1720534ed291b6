{#
    Text helpers shared by the parsing macros. Raw values are text exactly as the province sent them,
    decomposed (NFD) where the file was so; names are normalised to NFC here, in staging, and the
    folding and parsing functions read either form. These never raise, whatever the input.
#}

{# Trim spaces, tabs, line breaks and non-breaking spaces (common in Excel exports); empty -> null. #}
{% macro clean_text(expression) -%}
    util.clean_text({{ expression }})
{%- endmacro %}

{#
    Lower-case ASCII with the Vietnamese diacritics removed ('Không' -> 'khong', 'Nữ' -> 'nu',
    'Đã can thiệp' -> 'da can thiep'). translate() keeps it independent of the database locale.
#}
{% macro fold_vn_text(expression) -%}
    util.fold_vn({{ expression }})
{%- endmacro %}

{#
    A free-text value as a snake_case code: folded, every run of other characters turned into '_'
    ('Cận nghèo' -> 'can_ngheo', 'Xâm hại tình dục' -> 'xam_hai_tinh_duc').
#}
{% macro normalise_code(expression) -%}
    util.normalise_code({{ expression }})
{%- endmacro %}

{# The normalised code when it is one of accepted_values, else null. #}
{% macro parse_enum(expression, accepted_values) -%}
    {%- set quoted_values = [] -%}
    {%- for value in accepted_values -%}
        {%- do quoted_values.append("'" ~ value ~ "'") -%}
    {%- endfor -%}
    case
        when {{ normalise_code(expression) }} in ({{ quoted_values | join(', ') }})
            then {{ normalise_code(expression) }}
    end
{%- endmacro %}

{#
    A name as written, trimmed, runs of spaces collapsed and composed to NFC (a name typed on a Mac
    arrives decomposed; the same letters compare, group and display alike only once composed).
#}
{% macro clean_name(expression) -%}
    normalize(regexp_replace({{ clean_text(expression) }}, '\s+', ' ', 'g'), nfc)
{%- endmacro %}
