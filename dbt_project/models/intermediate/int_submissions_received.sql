-- What the ledger received for each province, period and submission type: every file (every version,
-- whatever its verdict), when the first and last arrived, the latest file's status, and how many were
-- refused (rejected, or a load that failed).
with

submissions as (

    select * from {{ ref('stg_ledger__submissions') }}
    where province_code is not null and period is not null and submission_type is not null

),

final as (

    select
        province_code,
        period,
        submission_type,
        count(*) as files_received,
        min(arrived_at) as first_arrived_at,
        max(arrived_at) as last_arrived_at,
        (array_agg(status order by version desc))[1] as latest_status,
        (array_agg(reason_code order by version desc))[1] as latest_reason_code,
        count(*) filter (where status in ('rejected', 'load_failed')) as files_rejected
    from submissions
    group by province_code, period, submission_type

)

select * from final
