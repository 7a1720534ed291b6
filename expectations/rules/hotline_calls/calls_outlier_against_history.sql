-- calls_outlier_against_history: calls {value} is far from the usual {usual} for this province, channel and topic over the hotline's last {periods} months (at most 12 before this one; robust z above 3.5, median and MAD).
with reported as (
    select
        source_row,
        calls as sent_value,
        period_end_date as sent_end,
        lpad(util.clean_text(province_code), 2, '0') as caller_province,
        util.normalise_code(channel) as sent_channel,
        util.normalise_code(topic) as sent_topic,
        util.parse_vn_number(calls, 'count') as amount
    from {batch} as batch_rows  -- noqa: AL05
    where util.clean_text(province_code) is not null
),

past_files as (
    select
        old_file.submission_id,
        util.period_end_date(old_file.period) as period_end
    from ledger.submissions as old_file
    where old_file.submission_type = 'hotline_calls'
        and old_file.status in ('accepted', 'accepted_with_warnings')
        and old_file.version = (
            select max(newer.version) from ledger.submissions as newer
            where newer.province_code = old_file.province_code
                and newer.period = old_file.period
                and newer.submission_type = 'hotline_calls'
                and newer.status in ('accepted', 'accepted_with_warnings')
        )
),

history as (
    select
        reported.source_row,
        util.parse_vn_number(old_row.calls, 'count') as past_amount
    from reported
    inner join past_files
        on reported.sent_end > past_files.period_end
            and past_files.period_end >= reported.sent_end - interval '12 months'
    inner join raw.hotline_calls as old_row
        on past_files.submission_id = old_row.submission_id
            and lpad(util.clean_text(old_row.province_code), 2, '0') = reported.caller_province
            and util.normalise_code(old_row.channel) = reported.sent_channel
            and util.normalise_code(old_row.topic) = reported.sent_topic
    where not exists (
            select from dq.row_issues as issue
            where issue.submission_id = old_row.submission_id
                and issue.source_row = old_row.source_row
                and issue.severity = 'error'
        )
),

by_row as (
    select
        source_row,
        array_agg(past_amount) as amounts
    from history
    where past_amount is not null
    group by source_row
)

select
    reported.source_row,
    reported.sent_value as calls,
    round(util.median(by_row.amounts), 1) as usual,
    cardinality(by_row.amounts) as periods
from reported inner join by_row on reported.source_row = by_row.source_row
where util.is_outlier(reported.amount, by_row.amounts, 10)
