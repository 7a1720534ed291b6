-- The reporting periods present in the ledger, with their calendar bounds.
with

submissions as (

    select * from {{ ref('stg_ledger__submissions') }}

),

periods as (

    select distinct period
    from submissions
    where period is not null

),

final as (

    select
        period,
        {{ period_type('period') }} as period_type,
        substring(period from '^([0-9]{4})')::int as period_year,
        {{ period_start_date('period') }} as period_start_date,
        {{ period_end_date('period') }} as period_end_date

    from periods

)

select * from final
