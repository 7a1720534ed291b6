-- Every figure a province reported, long and tidy: one row per `boundaries` (`as_reported`: the
-- province as it reported; `today`: today's 34 provinces), province, period, indicator,
-- disaggregation and source (`reported`, or `derived`: a rate computed from complete counts). On
-- today's boundaries a count is a sum only when every province expected reported it (coverage
-- `complete`); otherwise `value_numeric` is null and `value_partial` holds the sum of those that did
-- (coverage `partial`), with the provinces that did not in `provinces_not_reporting`. Rates are never
-- averaged across provinces. Counts of children or cases of 1 to 4 are withheld, and so is whatever
-- would reveal one: a count whose complement within its parent indicator is small, the whole sex or
-- age breakdown of a figure when one of its cells is, every breakdown of a withheld total, a sum on
-- today's boundaries when one of the provinces it adds up was withheld as reported, and a rate
-- derived from a withheld count.
with

as_reported as (

    select
        'as_reported' as boundaries,
        province_code,
        period,
        period_type,
        period_end_date,
        indicator_code,
        indicator_kind,
        unit,
        disaggregation,
        1 as provinces_expected,
        (value_numeric is not null)::int as provinces_reporting,
        case when value_numeric is null then array[province_code] else '{}'::text[] end
            as provinces_not_reporting,
        value_numeric,
        null::numeric as value_partial,
        case when value_numeric is null then 'none' else 'complete' end as coverage
    from {{ ref('fct_indicator_values') }}

),

today as (

    select
        'today' as boundaries,
        *
    from {{ ref('fct_indicator_values_today') }}

),

indicators as (

    select * from {{ ref('dim_indicator') }}

),

provinces as (

    select * from {{ ref('dim_province') }}

),

figures as (

    select
        figures.*,
        -- Where a figure stands: its boundaries, province and period (the joins below compare it).
        concat_ws('|', figures.boundaries, figures.province_code, figures.period) as place,
        split_part(figures.disaggregation, ':', 1) as dimension,
        figures.indicator_kind <> 'rate'
        and figures.indicator_code not in (
            {%- for code in indicators_not_counting_children() %}
                '{{ code }}'{{ "," if not loop.last }}
            {%- endfor %}
        ) as counts_children
    from (
        select * from as_reported
        union all
        select * from today
    ) as figures

),

-- Primary suppression, and the complement within the parent indicator (must_not_exceed).
primary_flags as (

    select
        figures.*,
        figures.counts_children and (
            {{ is_small_cell('figures.value_numeric') }}
            or {{ is_small_cell('parent.value_numeric - figures.value_numeric') }}
        ) as value_small,
        figures.counts_children and {{ is_small_cell('figures.value_partial') }} as partial_small
    from figures
    left join indicators
        on figures.indicator_code = indicators.indicator_code
    left join figures as parent
        on
            indicators.must_not_exceed = parent.indicator_code
            and figures.place = parent.place
            and figures.disaggregation = parent.disaggregation

),

-- A breakdown (sex, age) is withheld whole when one of its cells is small, or one cell's complement
-- within the total is; every breakdown of a withheld total goes with it.
breakdown_flags as (

    select
        primary_flags.*,
        bool_or(
            primary_flags.value_small
            or {{ is_small_cell('total.value_numeric - primary_flags.value_numeric') }}
        ) over breakdown as breakdown_small
    from primary_flags
    left join primary_flags as total
        on
            primary_flags.place = total.place
            and primary_flags.indicator_code = total.indicator_code
            and total.disaggregation = 'total'
            and primary_flags.dimension <> 'total'
            and primary_flags.counts_children
    window
        breakdown as (
            partition by primary_flags.place, primary_flags.indicator_code, primary_flags.dimension
        )

),

withheld as (

    select
        breakdown_flags.*,
        breakdown_flags.value_small
        or (breakdown_flags.dimension <> 'total' and breakdown_flags.counts_children and (
            breakdown_flags.breakdown_small or coalesce(figure_total.value_small, false)
        )) as value_withheld
    from breakdown_flags
    left join breakdown_flags as figure_total
        on
            breakdown_flags.place = figure_total.place
            and breakdown_flags.indicator_code = figure_total.indicator_code
            and figure_total.disaggregation = 'total'

),

-- On today's boundaries, a sum is withheld when one of the provinces it adds up was withheld as
-- reported (the others' published figures would reveal it).
constituents as (

    select
        provinces.today_province_code as province_code,
        withheld.period,
        withheld.indicator_code,
        withheld.disaggregation,
        bool_or(withheld.value_withheld) as constituent_withheld
    from withheld
    inner join provinces
        on
            withheld.province_code = provinces.province_code
            and withheld.period_end_date
            between provinces.valid_from and coalesce(provinces.valid_to, date '9999-12-31')
    where withheld.boundaries = 'as_reported'
    group by provinces.today_province_code, withheld.period, withheld.indicator_code, withheld.disaggregation

),

published as (

    select
        withheld.*,
        withheld.value_withheld
        or (
            withheld.boundaries = 'today'
            and withheld.counts_children
            and coalesce(constituents.constituent_withheld, false)
        ) as is_withheld,
        withheld.partial_small
        or (withheld.counts_children and coalesce(constituents.constituent_withheld, false))
            as is_partial_withheld
    from withheld
    left join constituents
        on
            withheld.boundaries = 'today'
            and withheld.province_code = constituents.province_code
            and withheld.period = constituents.period
            and withheld.indicator_code = constituents.indicator_code
            and withheld.disaggregation = constituents.disaggregation

),

-- A rate from the counts it is made of (the catalogue's numerator and denominator), where both are
-- complete and published.
derived as (

    select
        numerator.boundaries,
        numerator.province_code,
        numerator.period,
        numerator.period_type,
        numerator.period_end_date,
        rates.indicator_code,
        rates.kind as indicator_kind,
        rates.unit,
        numerator.disaggregation,
        'derived' as value_source,
        case
            when not (numerator.is_withheld or denominator.is_withheld) and denominator.value_numeric > 0
                then round(100 * numerator.value_numeric / denominator.value_numeric, 2)
        end as value_numeric,
        null::numeric as value_partial,
        case
            when numerator.value_numeric is not null and denominator.value_numeric is not null then 'complete'
            when numerator.coverage = 'none' or denominator.coverage = 'none' then 'none'
            else 'partial'
        end as coverage,
        numerator.provinces_expected,
        least(numerator.provinces_reporting, denominator.provinces_reporting) as provinces_reporting,
        array(
            select distinct missing
            from unnest(numerator.provinces_not_reporting || denominator.provinces_not_reporting) as missing
            order by missing
        ) as provinces_not_reporting,
        numerator.is_withheld or denominator.is_withheld as is_suppressed,
        false as counts_children
    from indicators as rates
    inner join published as numerator
        on rates.numerator = numerator.indicator_code
    inner join published as denominator
        on
            rates.denominator = denominator.indicator_code
            and numerator.place = denominator.place
            and numerator.disaggregation = denominator.disaggregation
    where rates.kind = 'rate'

),

final as (

    select
        published.boundaries,
        published.province_code,
        published.period,
        published.period_type,
        published.period_end_date,
        published.indicator_code,
        published.indicator_kind,
        published.unit,
        published.disaggregation,
        'reported' as value_source,
        case when published.is_withheld then null else published.value_numeric end as value_numeric,
        case when published.is_partial_withheld then null else published.value_partial end as value_partial,
        published.coverage,
        published.provinces_expected,
        published.provinces_reporting,
        published.provinces_not_reporting,
        published.is_withheld or published.is_partial_withheld as is_suppressed,
        published.counts_children
    from published
    union all
    select * from derived

)

select
    final.*,
    indicators.name_vi as indicator_name_vi,
    indicators.name_en as indicator_name_en
from final
left join indicators
    on final.indicator_code = indicators.indicator_code
