-- report_agrees_with_records: reported {value}, but the province's own child records for the same date give {counted} (more than 5 % apart).
-- The batch carries each value as the report rules read it (validation/runner.py batch_query).
with reported as (
    select
        source_row,
        value as sent_value,
        batch_province_code as sent_province,
        period_end_date as sent_end,
        batch_indicator_code as code,
        batch_part as part,
        batch_amount as amount
    -- PostgreSQL 15 needs an alias on a subquery in from: GX puts the batch there as one
    from {batch} as batch_rows  -- noqa: AL05
    where batch_indicator_code is not null
),

records_file as materialized (
    select candidate.submission_id from ledger.submissions as candidate
    where candidate.submission_type = 'child_records'
        and candidate.status in ('accepted', 'accepted_with_warnings')
        and (candidate.province_code, util.period_end_date(candidate.period)) in (select distinct
            reported.sent_province,
            reported.sent_end
        from reported) and candidate.version = (
            select max(newer.version) from ledger.submissions as newer
            where newer.province_code = candidate.province_code
                and newer.period = candidate.period
                and newer.submission_type = 'child_records'
                and newer.status in ('accepted', 'accepted_with_warnings')
        )
),

quarantined as materialized (
    select
        issue.submission_id,
        issue.source_row
    from dq.row_issues as issue inner join records_file on issue.submission_id = records_file.submission_id
    where issue.severity = 'error'
),

spellings as (
    select
        util.clean_text(child.special_circumstances) is not null as hcdb,
        child.supported,
        child.at_risk,
        child.household_poverty,
        child.record_status,
        count(*) as children
    from raw.child_records as child
    inner join records_file on child.submission_id = records_file.submission_id
    where not exists (
            select from quarantined
            where quarantined.submission_id = child.submission_id
                and quarantined.source_row = child.source_row
        )
    group by 1, 2, 3, 4, 5
),

flags as (
    select
        hcdb,
        coalesce(util.parse_yes_no(supported), false) as supported,
        coalesce(util.parse_yes_no(at_risk), false) as at_risk,
        util.normalise_code(household_poverty) as poverty,
        children
    from spellings
    where coalesce(util.normalise_code(record_status), 'dang_quan_ly') = 'dang_quan_ly'
),

tally as (
    select
        coalesce(sum(children), 0) as children_total,
        coalesce(sum(children) filter (where hcdb), 0) as hcdb_children,
        coalesce(sum(children) filter (where hcdb and supported), 0) as hcdb_supported,
        coalesce(sum(children) filter (where at_risk), 0) as at_risk_children,
        coalesce(sum(children) filter (where at_risk and supported), 0) as at_risk_supported,
        coalesce(sum(children) filter (where poverty = 'ngheo'), 0) as children_poor_households,
        coalesce(sum(children) filter (where poverty = 'can_ngheo'), 0) as children_near_poor_households
    from flags
),

counted as (
    select
        tallied.code,
        tallied.children::bigint as children
    from tally
    cross join
        lateral (
            values ('children_total', tally.children_total),
            ('hcdb_children', tally.hcdb_children),
            ('hcdb_supported', tally.hcdb_supported),
            ('at_risk_children', tally.at_risk_children),
            ('at_risk_supported', tally.at_risk_supported),
            ('children_poor_households', tally.children_poor_households),
            ('children_near_poor_households', tally.children_near_poor_households)
        ) as tallied (code, children)
    where tally.children_total > 0
)

select
    reported.source_row,
    reported.sent_value as value,
    counted.children as counted
from reported inner join counted on reported.code = counted.code
where reported.part = 'total'
    and reported.amount is not null
    and abs(reported.amount - counted.children) > greatest(5, 0.05 * counted.children)
