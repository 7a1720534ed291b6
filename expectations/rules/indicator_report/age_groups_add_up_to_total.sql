-- age_groups_add_up_to_total: total {value} differs from the sum of the age groups ({ages_value}).
-- Only when all three age groups (0-5, 6-10, 11-15) are reported beside the total.
select
    total.source_row,
    total.value,
    sum(age.batch_amount)::text as ages_value
from {batch} as total
inner join {batch} as age
    on total.batch_indicator_code = age.batch_indicator_code and age.batch_part like 'age:%'
where total.batch_part = 'total' and total.batch_indicator_kind <> 'rate'
group by total.source_row, total.value, total.batch_amount
having count(*) = 3 and sum(age.batch_amount) <> total.batch_amount
