-- disaggregation_code: disaggregation is not total, sex:male, sex:female or an age group.
select
    source_row,
    disaggregation
from {batch}
where lower(regexp_replace(coalesce(util.clean_text(disaggregation), 'total'), '\s+', '', 'g')) not in (
        'total', 'sex:male', 'sex:female', 'age:0-5', 'age:6-10', 'age:11-15'
    )
