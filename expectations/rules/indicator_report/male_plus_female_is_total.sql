-- male_plus_female_is_total: total {value} differs from male ({male_value}) + female ({female_value}).
select
    total.source_row,
    total.value,
    male.value as male_value,
    female.value as female_value
from {batch} as total
inner join {batch} as male
    on total.batch_indicator_code = male.batch_indicator_code and male.batch_part = 'sex:male'
inner join {batch} as female
    on total.batch_indicator_code = female.batch_indicator_code and female.batch_part = 'sex:female'
where
    total.batch_part = 'total'
    and total.batch_indicator_kind <> 'rate'
    and male.batch_amount + female.batch_amount <> total.batch_amount
