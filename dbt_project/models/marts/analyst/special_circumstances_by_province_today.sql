-- special_circumstances_by_province rebased onto today's 34 provinces, so a series runs across the
-- July 2025 reform: a pre-reform province's figures count for the province it merged into (Phú Yên's
-- and Đắk Lắk's 2020 figures both count for today's Đắk Lắk). Shares are recomputed from the sums.
with

as_reported as (

    select * from {{ ref('special_circumstances_by_province') }}

),

crosswalk as (

    select * from {{ ref('province_crosswalk_2025') }}

),

provinces as (

    select * from {{ ref('provinces') }}

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
        sum(children_linked) as children_linked
    from rebased
    group by province_code, period, period_end_date

),

final as (

    select
        summed.province_code,
        provinces.name_vi as province_name_vi,
        summed.period,
        summed.period_end_date,
        summed.provinces_as_reported,
        summed.children_total,
        summed.hcdb_children,
        summed.hcdb_supported,
        round(summed.hcdb_supported::numeric / nullif(summed.hcdb_children, 0), 4) as hcdb_supported_share,
        summed.at_risk_children,
        summed.at_risk_supported,
        summed.children_linked,
        round(summed.children_linked::numeric / nullif(summed.children_total, 0), 4) as linked_share
    from summed
    left join provinces
        on
            summed.province_code = provinces.province_code
            and provinces.valid_to is null

)

select * from final
