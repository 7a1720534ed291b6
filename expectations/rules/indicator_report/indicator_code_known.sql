-- indicator_code_known: indicator_code is not in the indicator catalogue.
select
    source_row,
    indicator_code
from {batch}
where util.clean_text(indicator_code) is not null
    and lower(util.clean_text(indicator_code)) not in (select i.indicator_code from reference.indicators as i)
