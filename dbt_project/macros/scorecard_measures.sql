-- noqa: disable=LT02,LT05
{#
    The figures of the provincial scorecard, each tied to its indicator in reference.indicators (the
    aggregate report's value) and, where the individual records carry it, computed from them too.
    `parent`: the figure it is a part of (for shares and secondary suppression); `suppress`: a count of
    children or cases (small cells withheld) rather than of communes, people at work or money.
    Models loop over this list, so the scorecard, its rebased view and their suppression stay in step.
#}
{% macro scorecard_measures() -%}
    {{ return([
        {'name': 'children_total', 'indicator': 'children_total', 'from_records': true, 'parent': none, 'suppress': true},
        {'name': 'hcdb_children', 'indicator': 'hcdb_children', 'from_records': true, 'parent': 'children_total', 'suppress': true},
        {'name': 'hcdb_supported', 'indicator': 'hcdb_supported', 'from_records': true, 'parent': 'hcdb_children', 'suppress': true},
        {'name': 'at_risk_children', 'indicator': 'at_risk_children', 'from_records': true, 'parent': 'children_total', 'suppress': true},
        {'name': 'at_risk_supported', 'indicator': 'at_risk_supported', 'from_records': true, 'parent': 'at_risk_children', 'suppress': true},
        {'name': 'poor_children', 'indicator': 'children_poor_households', 'from_records': true, 'parent': 'children_total', 'suppress': true},
        {'name': 'near_poor_children', 'indicator': 'children_near_poor_households', 'from_records': true, 'parent': 'children_total', 'suppress': true},
        {'name': 'abuse_cases', 'indicator': 'abuse_cases', 'from_records': true, 'parent': none, 'suppress': true},
        {'name': 'abuse_victims', 'indicator': 'abuse_victims', 'from_records': true, 'parent': none, 'suppress': true},
        {'name': 'abuse_victims_intervened', 'indicator': 'abuse_victims_supported', 'from_records': true, 'parent': 'abuse_victims', 'suppress': true},
        {'name': 'drowning_deaths', 'indicator': 'drowning_deaths', 'from_records': true, 'parent': none, 'suppress': true},
        {'name': 'communes_total', 'indicator': 'communes_total', 'from_records': true, 'parent': none, 'suppress': false},
        {'name': 'child_friendly_communes', 'indicator': 'child_friendly_communes', 'from_records': false, 'parent': 'communes_total', 'suppress': false},
        {'name': 'village_collaborators', 'indicator': 'village_collaborators', 'from_records': false, 'parent': none, 'suppress': false},
        {'name': 'fund_mobilised_vnd', 'indicator': 'fund_mobilised_vnd', 'from_records': false, 'parent': none, 'suppress': false},
        {'name': 'fund_beneficiaries', 'indicator': 'fund_beneficiaries', 'from_records': false, 'parent': none, 'suppress': true},
    ]) }}
{%- endmacro %}

{# The shares the scorecard publishes: numerator / denominator, each from records and as reported. #}
{% macro scorecard_shares() -%}
    {{ return([
        {'name': 'hcdb_supported_share', 'numerator': 'hcdb_supported', 'denominator': 'hcdb_children'},
        {'name': 'at_risk_supported_share', 'numerator': 'at_risk_supported', 'denominator': 'at_risk_children'},
        {'name': 'abuse_victims_intervened_share', 'numerator': 'abuse_victims_intervened', 'denominator': 'abuse_victims'},
        {'name': 'child_friendly_communes_share', 'numerator': 'child_friendly_communes', 'denominator': 'communes_total'},
    ]) }}
{%- endmacro %}

{#
    The scorecard's published figures from a relation of unsuppressed counts (`<figure>_records`,
    `<figure>_reported`): each count suppressed when small (primary) or when its complement within its
    parent is small (secondary); the gap (reported - records) and the shares withheld whenever a count
    they are made of is. With `constituent_flags`, the relation also carries `<column>_in_suppressed`
    (one of the pre-reform provinces it sums was suppressed in the as-reported view), which withholds
    the sum too. Ends with `suppressed_columns`, the names of the columns withheld in the row.
#}
{% macro scorecard_published_columns(constituent_flags=false) -%}
    {%- set measures = scorecard_measures() -%}
    {%- set by_name = {} -%}
    {%- for measure in measures -%}{%- do by_name.update({measure.name: measure}) -%}{%- endfor -%}
    {%- set flags = {} -%}
    {%- for measure in measures -%}
        {%- for source in ['records', 'reported'] -%}
            {%- set column = measure.name ~ '_' ~ source -%}
            {%- if source == 'reported' or measure.from_records -%}
                {%- if measure.suppress -%}
                    {%- set parent = none -%}
                    {%- if measure.parent is not none and (source == 'reported' or by_name[measure.parent].from_records) -%}
                        {%- set parent = measure.parent ~ '_' ~ source -%}
                    {%- endif -%}
                    {%- do flags.update({column: small_cell_flag(
                        column, parent, (column ~ '_in_suppressed') if constituent_flags else none
                    )}) -%}
                {%- else -%}
                    {%- do flags.update({column: 'false'}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for measure in measures %}
        {%- if measure.from_records %}
        case when {{ flags[measure.name ~ '_records'] }} then null else {{ measure.name }}_records end
            as {{ measure.name }}_records,
        {%- endif %}
        case when {{ flags[measure.name ~ '_reported'] }} then null else {{ measure.name }}_reported end
            as {{ measure.name }}_reported,
        {%- if measure.from_records %}
        case
            when {{ flags[measure.name ~ '_records'] }} or {{ flags[measure.name ~ '_reported'] }} then null
            else {{ measure.name }}_reported - {{ measure.name }}_records
        end as {{ measure.name }}_gap,
        {%- endif %}
    {%- endfor %}
    {%- for share in scorecard_shares() %}
        {%- for source in ['records', 'reported'] %}
            {%- set numerator = share.numerator ~ '_' ~ source %}
            {%- set denominator = share.denominator ~ '_' ~ source %}
            {%- if numerator in flags and denominator in flags %}
        case
            when {{ flags[numerator] }} or {{ flags[denominator] }} then null
            else round({{ numerator }}::numeric / nullif({{ denominator }}, 0), 4)
        end as {{ share.name }}_{{ source }},
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
        array_remove(array[
        {%- for column, flag in flags.items() if flag != 'false' %}
            case when {{ flag }} then '{{ column }}' end{{ "," if not loop.last }}
        {%- endfor %}
        ]::text[], null) as suppressed_columns
{%- endmacro %}

{# One reported column per figure, pivoted from the long indicator values (max of the one total row). #}
{% macro scorecard_reported_pivot(indicator_column='indicator_code', value_column='value_numeric') -%}
    {%- for measure in scorecard_measures() %}
    max({{ value_column }}) filter (where {{ indicator_column }} = '{{ measure.indicator }}')
        as {{ measure.name }}_reported{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{# Every `<figure>_reported` column of `relation`, comma-separated. #}
{% macro scorecard_reported_columns(relation) -%}
    {%- for measure in scorecard_measures() %}
    {{ relation }}.{{ measure.name }}_reported{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#
    Rebasing onto today's provinces, figure by figure: a count is the sum of the provinces that merged
    only when every province expected (`expected`: those that existed at period end in today's
    province's area) has it; otherwise it is null, and the sum of those that do is published apart,
    as `<column>_partial`, with `<column>_provinces_reporting`. The figures computed from records are
    summed here; the reported ones come from fct_indicator_values_today (scorecard_reported_today).
    `<column>_in_suppressed` (every column): one of the provinces summed had the count withheld in the
    as-reported view.
#}
{% macro scorecard_rebased_sums(expected='provinces_expected') -%}
    {%- for column in scorecard_columns() %}
        {%- if column.name.endswith('_records') %}
    case when count({{ column.name }}) = max({{ expected }}) then sum({{ column.name }}){{ column.cast }} end
        as {{ column.name }},
    case
        when count({{ column.name }}) between 1 and max({{ expected }}) - 1 then sum({{ column.name }}){{ column.cast }}
    end as {{ column.name }}_partial,
    count({{ column.name }})::int as {{ column.name }}_provinces_reporting,
        {%- endif %}
    bool_or({{ small_cell_flag(column.name, column.parent) if column.suppress else 'false' }})
        as {{ column.name }}_in_suppressed{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#
    The scorecard's reported figures on today's boundaries, pivoted from the long
    fct_indicator_values_today (totals, grouped by province and period): the complete sum, the
    partial sum, and how many provinces reported each.
#}
{% macro scorecard_reported_today() -%}
    {%- for measure in scorecard_measures() %}
    max(value_numeric) filter (where indicator_code = '{{ measure.indicator }}') as {{ measure.name }}_reported,
    max(value_partial) filter (where indicator_code = '{{ measure.indicator }}')
        as {{ measure.name }}_reported_partial,
    coalesce(max(provinces_reporting) filter (where indicator_code = '{{ measure.indicator }}'), 0)
        as {{ measure.name }}_reported_provinces_reporting{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#
    Every count column of the scorecard: `<figure>_records` (where the records carry the figure) and
    `<figure>_reported`, with the column it is a part of and whether small cells are withheld.
#}
{% macro scorecard_columns() -%}
    {%- set measures = scorecard_measures() -%}
    {%- set by_name = {} -%}
    {%- for measure in measures -%}{%- do by_name.update({measure.name: measure}) -%}{%- endfor -%}
    {%- set columns = [] -%}
    {%- for measure in measures -%}
        {%- for source in ['records', 'reported'] -%}
            {%- if source == 'reported' or measure.from_records -%}
                {%- set parent = none -%}
                {%- if measure.parent is not none and (source == 'reported' or by_name[measure.parent].from_records) -%}
                    {%- set parent = measure.parent ~ '_' ~ source -%}
                {%- endif -%}
                {%- do columns.append({
                    'name': measure.name ~ '_' ~ source, 'parent': parent, 'suppress': measure.suppress,
                    'cast': '::bigint' if source == 'records' else ''
                }) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#
    On today's boundaries, each count's partial sum (some of the provinces expected reported it) and how
    many reported it: the partial sum withheld as small cells are (and when one of the provinces it
    adds up was withheld as reported). Ends with `partial_suppressed_columns`.
#}
{% macro scorecard_partial_columns() -%}
    {%- set flags = {} -%}
    {%- for column in scorecard_columns() %}
        {%- set partial = column.name ~ '_partial' -%}
        {%- if column.suppress -%}
            {%- do flags.update({partial: '(' ~ partial ~ ' is not null and '
                ~ small_cell_flag(partial, none, column.name ~ '_in_suppressed') ~ ')'}) -%}
        {%- endif %}
        case when {{ flags.get(partial, 'false') }} then null else {{ partial }} end as {{ partial }},
        {{ column.name }}_provinces_reporting,
    {%- endfor %}
        array_remove(array[
        {%- for column, flag in flags.items() %}
            case when {{ flag }} then '{{ column }}' end{{ "," if not loop.last }}
        {%- endfor %}
        ]::text[], null) as partial_suppressed_columns
{%- endmacro %}

{# The counts of the special-circumstances marts, in the order they publish them. #}
{% macro special_circumstances_figures() -%}
    {{ return([
        'children_total', 'hcdb_children', 'hcdb_supported', 'at_risk_children', 'at_risk_supported',
        'children_linked'
    ]) }}
{%- endmacro %}

{#
    Catalogue indicators that count communes, people at work or money, not children or cases: their
    small values are published (reveal no child). Every other count is withheld when small.
#}
{% macro indicators_not_counting_children() -%}
    {{ return([
        'communes_total', 'child_friendly_communes', 'village_collaborators', 'commune_child_staff',
        'fund_mobilised_vnd', 'fund_disbursed_vnd'
    ]) }}
{%- endmacro %}
