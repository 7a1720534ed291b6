-- special_circumstances_by_province rebased onto today's 34 provinces, so a series runs across the
-- July 2025 reform: a pre-reform province's figures count for the province it merged into (Phú Yên's
-- and Đắk Lắk's 2020 figures both count for today's Đắk Lắk). A sum is published only when every
-- province expected (those that existed at the period's end in today's province's area) has its
-- records for the period; otherwise the counts are null (provinces_as_reported < provinces_expected).
-- Shares are recomputed from complete sums.
-- Suppressed like special_circumstances_by_province, and a sum is also withheld when one of the
-- provinces it adds up was suppressed there: subtracting the others would reveal it.
with

as_reported as (

    select * from {{ ref('int_special_circumstances_by_province') }}

),

-- Each pre-reform province's code and the province of today it merged into.
crosswalk as (

    select distinct
        province_code as old_province_code,
        today_province_code as new_province_code
    from {{ ref('dim_province') }}
    where is_pre_reform

),

provinces as (

    select
        province_code,
        province_name_vi as name_vi,
        valid_to
    from {{ ref('dim_province') }}
    where is_current

),

rebased as (

    select
        as_reported.period,
        as_reported.period_end_date,
        as_reported.children_total,
        as_reported.hcdb_children,
        as_reported.hcdb_supported,
        as_reported.at_risk_children,
        as_reported.at_risk_supported,
        as_reported.children_linked,
        {{ small_cell_flag('as_reported.children_total') }} as children_total_suppressed,
        {{ small_cell_flag('as_reported.hcdb_children', 'as_reported.children_total') }}
            as hcdb_children_suppressed,
        {{ small_cell_flag('as_reported.hcdb_supported', 'as_reported.hcdb_children') }}
            as hcdb_supported_suppressed,
        {{ small_cell_flag('as_reported.at_risk_children', 'as_reported.children_total') }}
            as at_risk_children_suppressed,
        {{ small_cell_flag('as_reported.at_risk_supported', 'as_reported.at_risk_children') }}
            as at_risk_supported_suppressed,
        {{ small_cell_flag('as_reported.children_linked', 'as_reported.children_total') }}
            as children_linked_suppressed,
        case
            when as_reported.period_end_date < date '2025-07-01' then crosswalk.new_province_code
            else as_reported.province_code
        end as province_code
    from as_reported
    left join crosswalk
        on as_reported.province_code = crosswalk.old_province_code

),

summed as (

    select
        province_code,
        period,
        period_end_date,
        count(*) as provinces_as_reported,
        sum(children_total) as children_total,
        sum(hcdb_children) as hcdb_children,
        sum(hcdb_supported) as hcdb_supported,
        sum(at_risk_children) as at_risk_children,
        sum(at_risk_supported) as at_risk_supported,
        sum(children_linked) as children_linked,
        bool_or(children_total_suppressed) as children_total_in_suppressed,
        bool_or(hcdb_children_suppressed) as hcdb_children_in_suppressed,
        bool_or(hcdb_supported_suppressed) as hcdb_supported_in_suppressed,
        bool_or(at_risk_children_suppressed) as at_risk_children_in_suppressed,
        bool_or(at_risk_supported_suppressed) as at_risk_supported_in_suppressed,
        bool_or(children_linked_suppressed) as children_linked_in_suppressed
    from rebased
    group by province_code, period, period_end_date

),

-- How many provinces existed at the period's end in today's province's area.
merged as (

    {{ merged_province_counts('crosswalk') }}

),

with_expected as (

    select
        summed.*,
        {{ provinces_expected('summed.period_end_date', 'merged.provinces_merged') }} as provinces_expected
    from summed
    left join merged
        on summed.province_code = merged.province_code

),

complete as (

    select
        province_code,
        period,
        period_end_date,
        provinces_as_reported,
        {%- for figure in special_circumstances_figures() %}
            case when provinces_as_reported = provinces_expected then {{ figure }} end as {{ figure }},
            {{ figure }}_in_suppressed,
        {%- endfor %}
        provinces_expected
    from with_expected

),

flagged as (

    select
        *,
        {{ small_cell_flag('children_total', also_when='children_total_in_suppressed') }}
            as children_total_suppressed,
        {{ small_cell_flag('hcdb_children', 'children_total', 'hcdb_children_in_suppressed') }}
            as hcdb_children_suppressed,
        {{ small_cell_flag('hcdb_supported', 'hcdb_children', 'hcdb_supported_in_suppressed') }}
            as hcdb_supported_suppressed,
        {{ small_cell_flag('at_risk_children', 'children_total', 'at_risk_children_in_suppressed') }}
            as at_risk_children_suppressed,
        {{ small_cell_flag('at_risk_supported', 'at_risk_children', 'at_risk_supported_in_suppressed') }}
            as at_risk_supported_suppressed,
        {{ small_cell_flag('children_linked', 'children_total', 'children_linked_in_suppressed') }}
            as children_linked_suppressed
    from complete

),

final as (

    select
        flagged.province_code,
        provinces.name_vi as province_name_vi,
        flagged.period,
        flagged.period_end_date,
        flagged.provinces_as_reported,
        flagged.provinces_expected,
        case when flagged.children_total_suppressed then null else flagged.children_total end::bigint
            as children_total,
        case when flagged.hcdb_children_suppressed then null else flagged.hcdb_children end::bigint
            as hcdb_children,
        case when flagged.hcdb_supported_suppressed then null else flagged.hcdb_supported end::bigint
            as hcdb_supported,
        case
            when flagged.hcdb_children_suppressed or flagged.hcdb_supported_suppressed then null
            else round(flagged.hcdb_supported::numeric / nullif(flagged.hcdb_children, 0), 4)
        end as hcdb_supported_share,
        case when flagged.at_risk_children_suppressed then null else flagged.at_risk_children end::bigint
            as at_risk_children,
        case when flagged.at_risk_supported_suppressed then null else flagged.at_risk_supported end::bigint
            as at_risk_supported,
        case when flagged.children_linked_suppressed then null else flagged.children_linked end::bigint
            as children_linked,
        case
            when flagged.children_total_suppressed or flagged.children_linked_suppressed then null
            else round(flagged.children_linked::numeric / nullif(flagged.children_total, 0), 4)
        end as linked_share
    from flagged
    left join provinces
        on
            flagged.province_code = provinces.province_code
            and provinces.valid_to is null

)

select * from final
