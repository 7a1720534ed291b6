-- rate_within_0_100: rate {value} is outside 0–100 %.
-- The batch carries each value as the report rules read it (validation/runner.py batch_query):
-- batch_indicator_code and batch_indicator_kind from the catalogue, batch_part, batch_amount.
select
    source_row,
    value
from {batch}
where batch_indicator_kind = 'rate' and (batch_amount < 0 or batch_amount > 100)
