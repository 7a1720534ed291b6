-- A value against its own history, robustly (Iglewicz and Hoaglin's modified z-score): the centre is
-- the median of the earlier values, the spread 1.4826 x their median absolute deviation, or
-- 1.2533 x the mean absolute deviation when the MAD is 0 (a zero-heavy count). Validation rules
-- that compare a row with the source's own earlier rows call these (docs/validation.md).

create or replace function util.median(history numeric[]) returns numeric
language sql immutable parallel safe
return (
    select percentile_cont(0.5) within group (order by past.amount)::numeric
    from unnest(history) as past (amount)
);

-- Each earlier value's distance from the median.
create or replace function util.absolute_deviations(history numeric[]) returns numeric[]
language sql immutable parallel safe
return array(
    select abs(past.amount - util.median(absolute_deviations.history))  -- noqa: RF01
    from unnest(history) as past (amount)
);

create or replace function util.robust_spread(history numeric[]) returns numeric
language sql immutable parallel safe
return (
    select
        case
            when percentile_cont(0.5) within group (order by deviation.amount) > 0
                then 1.4826 * percentile_cont(0.5) within group (order by deviation.amount)
            when avg(deviation.amount) > 0 then 1.2533 * avg(deviation.amount)
            else 0
        end::numeric
    from unnest(util.absolute_deviations(history)) as deviation (amount)
);

-- True when `amount` is far from its history: at least `min_periods` earlier values, at least
-- `min_gap` from their median, and more than 3.5 spreads from it.
create or replace function util.is_outlier(
    amount numeric, history numeric[], min_gap numeric, min_periods integer default 4
) returns boolean
language sql immutable parallel safe
return coalesce(
    cardinality(history) >= min_periods
    and abs(amount - util.median(history)) >= min_gap
    and abs(amount - util.median(history)) > 3.5 * util.robust_spread(history),
    false
);
