-- The national hotline 111's monthly figures as its current hotline_calls submissions reported them:
-- one row per month, caller's province ('00' when unknown), channel and topic. Calls, not children:
-- one child may call several times and one call may be about several children.
with

calls as (

    select * from {{ ref('int_hotline_calls_accepted') }}

),

periods as (

    select * from {{ ref('dim_period') }}

),

final as (

    select
        calls.caller_province_code as province_code,
        calls.period,
        periods.period_start_date,
        calls.period_end_date,
        calls.channel,
        calls.topic,
        calls.topic in ('bao_luc', 'xam_hai_tinh_duc', 'bo_roi') as is_abuse_topic,
        calls.calls,
        calls.counselling_calls,
        calls.referrals,
        calls.interventions,
        calls.submission_id,
        calls.source_row

    from calls
    inner join periods
        on calls.period = periods.period

)

select * from final
