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

{#
    The normalised code when it is one of accepted_values (codes: lower-case letters, digits and
    underscores, which normalise_code leaves as they are), else null. A cell that is already one of
    them, as the contract asks, is taken as it is: normalised, it ran the folding functions inlined
    several times (1.5 µs a cell, measured on 97,323 record statuses; the same answers for all 1.2M
    of a 1M-children sample).
#}
{% macro parse_enum(expression, accepted_values) -%}
    {%- set quoted_values = [] -%}
    {%- for value in accepted_values -%}
        {%- set letters = value | replace('_', '') -%}
        {%- if not (letters.isascii() and letters.isalnum() and value == value | lower)
            or '__' in value or value.startswith('_') or value.endswith('_') -%}
            {{ exceptions.raise_compiler_error('parse_enum: ' ~ value ~ ' is not a code') }}
        {%- endif -%}
        {%- do quoted_values.append("'" ~ value ~ "'") -%}
    {%- endfor -%}
    case
        when {{ expression }} in ({{ quoted_values | join(', ') }}) then {{ expression }}
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
