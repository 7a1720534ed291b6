-- Reporting periods of the contract and their first and last days.

-- Reporting periods: YYYY-Mmm, YYYY-Qn, YYYY-H1 (H2 read as Jul–Dec), YYYY-9M (Jan–Sep), YYYY-Y.
create or replace function util.period_type(period text) returns text
language sql immutable parallel safe
return case
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-M(0?[1-9]|1[0-2])$' then 'month'
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-Q[1-4]$' then 'quarter'
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-H[12]$' then 'half_year'
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-9M$' then 'nine_months'
    when upper(util.clean_text(period)) ~ '^[0-9]{4}-Y$' then 'year'
end;

-- The first day of a period (cumulative periods start in January).
create or replace function util.period_start_date(period text) returns date
language sql immutable parallel safe
return case util.period_type(period)
    when 'month' then make_date(left(period, 4)::int, substring(upper(period) from 'M([0-9]{1,2})$')::int, 1)
    when
        'quarter'
        then make_date(left(period, 4)::int, 3 * substring(upper(period) from 'Q([1-4])$')::int - 2, 1)
    when
        'half_year'
        then make_date(left(period, 4)::int, case when upper(period) like '%H2' then 7 else 1 end, 1)
    when 'nine_months' then make_date(left(period, 4)::int, 1, 1)
    when 'year' then make_date(left(period, 4)::int, 1, 1)
end;

-- The last day of a period: stocks are counted as at this day.
create or replace function util.period_end_date(period text) returns date
language sql immutable parallel safe
return case util.period_type(period)
    when 'month' then (util.period_start_date(period) + interval '1 month' - interval '1 day')::date
    when 'quarter' then (util.period_start_date(period) + interval '3 months' - interval '1 day')::date
    when 'half_year' then (util.period_start_date(period) + interval '6 months' - interval '1 day')::date
    when 'nine_months' then make_date(left(period, 4)::int, 9, 30)
    when 'year' then make_date(left(period, 4)::int, 12, 31)
end;
