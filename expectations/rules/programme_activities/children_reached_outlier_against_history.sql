-- children_reached_outlier_against_history: children_reached {value} is far from this province's usual {usual} for the same activity type (and commune, when given) over its last {periods} accepted reports of this kind of period (robust z above 3.5, median and MAD).
with reported as (
    select
        source_row,
        children_reached as sent_value,
        batch_province_code as sent_province,
        period as sent_period,
        period_end_date as sent_end,
        util.normalise_code(activity_type) as sent_type,
        coalesce(batch_commune_code, '') as sent_commune,
        util.parse_vn_number(children_reached, 'count') as amount
    from {batch} as batch_rows  -- noqa: AL05
),

past_files as (
    select
        old_file.submission_id,
        old_file.province_code,
        old_file.period
    from ledger.submissions as old_file
    where old_file.submission_type = 'programme_activities'
        and old_file.status in ('accepted', 'accepted_with_warnings')
        and old_file.version = (
            select max(newer.version) from ledger.submissions as newer
            where newer.province_code = old_file.province_code
                and newer.period = old_file.period
                and newer.submission_type = 'programme_activities'
                and newer.status in ('accepted', 'accepted_with_warnings')
        )
),

history as (
    select
        reported.source_row,
        util.parse_vn_number(old_row.children_reached, 'count') as past_amount
    from reported
    inner join past_files
        on reported.sent_province = past_files.province_code
            and util.period_type(past_files.period) = util.period_type(reported.sent_period)
            and util.period_end_date(past_files.period) < reported.sent_end
            -- codes are reused across the July 2025 reform: compare like with like
            and (util.period_end_date(past_files.period) >= date '2025-07-01')
            = (reported.sent_end >= date '2025-07-01')
    inner join raw.programme_activities as old_row
        on past_files.submission_id = old_row.submission_id
            and util.normalise_code(old_row.activity_type) = reported.sent_type
            and coalesce(util.parse_commune_code(old_row.commune_code), '') = reported.sent_commune
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
    reported.sent_value as children_reached,
    round(util.median(by_row.amounts), 1) as usual,
    cardinality(by_row.amounts) as periods
from reported inner join by_row on reported.source_row = by_row.source_row
where util.is_outlier(reported.amount, by_row.amounts, 10)
