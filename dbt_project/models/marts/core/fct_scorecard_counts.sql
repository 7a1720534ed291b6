-- The provincial scorecard before suppression: one row per province (as reported) and calendar period
-- with anything to show: stocks from the child records, flows from the protection cases, the province's
-- own indicator report for the period, and the communes the reference list gives it (null before the
-- list begins: an unknown count, not 0). Each figure of
-- scorecard_measures() comes as `<figure>_records` (computed by the warehouse) and `<figure>_reported`
-- (from the aggregate report). Restricted: unsuppressed counts.
with

stocks as (

    select * from {{ ref('fct_scorecard_stocks') }}

),

flows as (

    select * from {{ ref('fct_scorecard_flows') }}

),

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}
    where disaggregation = 'total'

),

periods as (

    select * from {{ ref('dim_period') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

communes as (

    select * from {{ ref('dim_commune') }}

),

reported as (

    select
        province_code,
        period,
        {{ scorecard_reported_pivot() }},
        count(*) as indicators_reported
    from indicator_values
    group by province_code, period

),

province_periods as (

    select
        province_code,
        period
    from stocks
    union
    select
        province_code,
        period
    from flows
    union
    select
        province_code,
        period
    from reported

),

-- The day the commune list begins: before it the warehouse cannot count a province's communes.
commune_list as (

    select min(valid_from) as begins_on
    from communes

),

communes_by_row as (

    select
        province_periods.province_code,
        province_periods.period,
        case
            when min(periods.period_end_date) >= min(commune_list.begins_on) then count(communes.commune_code)
        end as communes_total
    from province_periods
    inner join periods
        on province_periods.period = periods.period
    cross join commune_list
    left join communes
        on
            province_periods.province_code = communes.province_code
            and periods.period_end_date between communes.valid_from and coalesce(
                communes.valid_to, date '9999-12-31'
            )
    group by province_periods.province_code, province_periods.period

),

final as (

    select
        province_periods.province_code,
        provinces.province_name_vi,
        provinces.today_province_code,
        province_periods.period,
        periods.period_type,
        periods.period_year,
        periods.period_start_date,
        periods.period_end_date,
        stocks.stock_period,
        flows.case_months_received,
        periods.period_months,
        coalesce(reported.indicators_reported, 0) as indicators_reported,
        stocks.children_total as children_total_records,
        stocks.hcdb_children as hcdb_children_records,
        stocks.hcdb_supported as hcdb_supported_records,
        stocks.at_risk_children as at_risk_children_records,
        stocks.at_risk_supported as at_risk_supported_records,
        stocks.poor_children as poor_children_records,
        stocks.near_poor_children as near_poor_children_records,
        flows.abuse_cases as abuse_cases_records,
        flows.abuse_victims as abuse_victims_records,
        flows.abuse_victims_intervened as abuse_victims_intervened_records,
        flows.drowning_deaths as drowning_deaths_records,
        communes_by_row.communes_total as communes_total_records,
        {{ scorecard_reported_columns('reported') }}

    from province_periods
    inner join periods
        on province_periods.period = periods.period
    left join stocks
        on province_periods.province_code = stocks.province_code and province_periods.period = stocks.period
    left join flows
        on province_periods.province_code = flows.province_code and province_periods.period = flows.period
    left join reported
        on province_periods.province_code = reported.province_code
            and province_periods.period = reported.period
    left join communes_by_row
        on
            province_periods.province_code = communes_by_row.province_code
            and province_periods.period = communes_by_row.period
    left join provinces
        on
            province_periods.province_code = provinces.province_code
            and periods.period_end_date between provinces.valid_from and coalesce(
                provinces.valid_to, date '9999-12-31'
            )

)

select * from final
