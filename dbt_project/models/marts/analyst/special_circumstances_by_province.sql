-- Children in special circumstances (Article 10, Law on Children 2016) and support, per province and
-- period as reported, with small cells suppressed: a count of 1-4, or a count whose complement within
-- its parent is 1-4 (8 of 10 supported would reveal the 2 not supported), is null, and so is any
-- share made of it. No names or IDs leave the intermediate layer.
with

counts as (

    select * from {{ ref('int_special_circumstances_by_province') }}

),

flagged as (

    select
        *,
        {{ small_cell_flag('children_total') }} as children_total_suppressed,
        {{ small_cell_flag('hcdb_children', 'children_total') }} as hcdb_children_suppressed,
        {{ small_cell_flag('hcdb_supported', 'hcdb_children') }} as hcdb_supported_suppressed,
        {{ small_cell_flag('at_risk_children', 'children_total') }} as at_risk_children_suppressed,
        {{ small_cell_flag('at_risk_supported', 'at_risk_children') }} as at_risk_supported_suppressed,
        {{ small_cell_flag('children_linked', 'children_total') }} as children_linked_suppressed
    from counts

),

final as (

    select
        province_code,
        province_name_vi,
        period,
        period_end_date,
        case when children_total_suppressed then null else children_total end as children_total,
        case when hcdb_children_suppressed then null else hcdb_children end as hcdb_children,
        case when hcdb_supported_suppressed then null else hcdb_supported end as hcdb_supported,
        case
            when hcdb_children_suppressed or hcdb_supported_suppressed then null else hcdb_supported_share
        end as hcdb_supported_share,
        case when at_risk_children_suppressed then null else at_risk_children end as at_risk_children,
        case when at_risk_supported_suppressed then null else at_risk_supported end as at_risk_supported,
        case when children_linked_suppressed then null else children_linked end as children_linked,
        case when children_total_suppressed or children_linked_suppressed then null else linked_share end
            as linked_share

    from flagged

)

select * from final
