-- outlier_against_history: value {value} is far from this province's usual {usual} over its last {periods} reports of this kind of period (robust z above 3.5, median and MAD).
-- The batch carries each value as the report rules read it (validation/runner.py batch_query).
with reported as (
    select
        source_row,
        value as sent_value,
        batch_province_code as sent_province,
        period as sent_period,
        period_end_date as sent_end,
        batch_indicator_code as code,
        batch_indicator_kind as kind,
        batch_part as part,
        batch_amount as amount
    -- PostgreSQL 15 needs an alias on a subquery in from: GX puts the batch there as one
    from {batch} as batch_rows  -- noqa: AL05
    where batch_indicator_code is not null
),

history as (
    select
        reported.source_row,
        past.amount as past_amount
    from reported cross join
        lateral (
            select
                util.parse_vn_number(
                    old_row.value, case when reported.kind = 'rate' then 'decimal' else 'count' end
                ) as amount
            from ledger.submissions as old_file
            inner join raw.indicator_report as old_row on old_file.submission_id = old_row.submission_id
            where old_file.province_code = reported.sent_province
                and old_file.submission_type = 'indicator_report'
                and old_file.status in (
                    'accepted', 'accepted_with_warnings'
                )
                and old_file.version = (
                    select max(newer.version) from ledger.submissions as newer
                    where newer.province_code = old_file.province_code
                        and newer.period = old_file.period
                        and newer.submission_type = 'indicator_report'
                        and newer.status in ('accepted', 'accepted_with_warnings')
                )
                and util.period_type(old_file.period) = util.period_type(reported.sent_period)
                and util.period_end_date(old_file.period) < reported.sent_end
                and (util.period_end_date(old_file.period) >= date '2025-07-01')
                = (reported.sent_end >= date '2025-07-01')
                and lower(util.clean_text(old_row.indicator_code)) = reported.code
                and coalesce(
                    lower(regexp_replace(util.clean_text(old_row.disaggregation), '\s+', '', 'g')), 'total'
                )
                = reported.part
                and not exists (
                    select from dq.row_issues as issue
                    where issue.submission_id = old_row.submission_id
                        and issue.source_row = old_row.source_row
                        and issue.severity = 'error'
                )
        ) as past
    where past.amount is not null
),

centre as (
    select
        source_row,
        count(*) as periods,
        percentile_cont(0.5) within group (order by past_amount) as median
    from history
    group by source_row
),

spread as (
    select
        history.source_row,
        centre.periods,
        centre.median,
        percentile_cont(0.5) within group (order by abs(history.past_amount - centre.median)) as mad,
        avg(abs(history.past_amount - centre.median)) as mean_deviation
    from history inner join centre on history.source_row = centre.source_row
    group by history.source_row, centre.periods, centre.median
)

select
    reported.source_row,
    reported.sent_value as value,
    round(spread.median::numeric, 1) as usual,
    spread.periods
from reported inner join spread on reported.source_row = spread.source_row
where spread.periods >= 4
    and reported.amount is not null
    and abs(reported.amount - spread.median) >= 5
    and abs(reported.amount - spread.median)
    > 3.5
    * case
        when spread.mad > 0 then 1.4826 * spread.mad when
            spread.mean_deviation > 0
            then 1.2533 * spread.mean_deviation
        else 0
    end
