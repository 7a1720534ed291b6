-- criterion_in_range: {column} is not a whole number from 0 to the criterion's maximum for the commune type (reference.commune_assessment_rules; the largest maximum when the type is unknown).
select
    source_row,
    {column},
    maximum
from (
    select
        sent.source_row,
        sent.{column},
        util.parse_vn_number(sent.{column}, 'count') as score,
        coalesce(
            rules.criterion_max,
            (select max(every_type.criterion_max) from reference.commune_assessment_rules as every_type)
        ) as maximum
    from {batch} as sent
    left join
        reference.commune_assessment_rules as rules
        on util.normalise_code(sent.commune_type) = rules.commune_type
    where util.clean_text(sent.{column}) is not null
) as scored
where score is null or score < 0 or score > maximum or score <> trunc(score)
