"""The probabilistic model: Splink 5 settings, training by EM, and the saved, versioned model."""

from __future__ import annotations

from pathlib import Path

MODEL_DIR = Path(__file__).parent / "models"
MODEL_VERSION = "child-register-v3"
AUTO_LINK = 0.90  # at or above: linked without review
REVIEW = 0.10  # from here up to AUTO_LINK: a person decides
CLEAR_MARGIN = 0.10  # the best candidate must beat the runner-up by this much to auto-link


# Each record's best candidate among the predictions (uid_l, uid_r, match_probability): auto-linked
# at or above AUTO_LINK when clearly ahead of the runner-up, for review from REVIEW. Plain SQL that
# DuckDB and Spark both run; the thresholds are this module's constants.
_BEST_CANDIDATES = """
with scored as (
    select uid_l as record_uid, uid_r as personal_id, match_probability,
           row_number() over (partition by uid_l order by match_probability desc, uid_r) as rank,
           lead(match_probability) over (partition by uid_l order by match_probability desc, uid_r)
               as runner_up
    from predictions
)
select record_uid, personal_id, match_probability,
       case when match_probability >= {auto_link}
                 and coalesce(runner_up, 0) <= match_probability - {clear_margin}
            then 'probabilistic' else 'review' end as outcome
from scored where rank = 1 and match_probability >= {review}
"""


def best_candidates_sql() -> str:
    return _BEST_CANDIDATES.format(auto_link=AUTO_LINK, clear_margin=CLEAR_MARGIN, review=REVIEW)


def model_path(version: str = MODEL_VERSION) -> Path:
    return MODEL_DIR / f"{version}.json"


def _name_comparison():
    import splink.comparison_level_library as cll
    from splink import comparison_library as cl

    return cl.CustomComparison(
        output_column_name="full_name",
        comparison_levels=[
            cll.NullLevel("name_folded"),
            cll.ExactMatchLevel("name_key").configure(tf_adjustment_column="name_key"),
            cll.ExactMatchLevel("name_folded").configure(tf_adjustment_column="name_folded"),
            cll.ExactMatchLevel("name_sorted"),
            cll.JaroWinklerLevel("name_folded", 0.95),
            cll.And(cll.ExactMatchLevel("surname"), cll.ExactMatchLevel("given")),
            cll.ExactMatchLevel("given").configure(tf_adjustment_column="given"),
            cll.JaroWinklerLevel("name_folded", 0.85),
            cll.ElseLevel(),
        ],
    )


def _dob_comparison():
    import splink.comparison_level_library as cll
    from splink import comparison_library as cl

    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel("dob_l = dob_swapped_r", label_for_charts="day and month swapped"),
            cll.CustomLevel(
                "year(dob_l) = year(dob_r) and month(dob_l) = month(dob_r)", "same year and month"
            ),
            cll.CustomLevel("abs(date_diff('day', dob_l, dob_r)) <= 31", "within a month"),
            cll.ExactMatchLevel("birth_year"),
            cll.ElseLevel(),
        ],
    )


def _caregiver_comparison():
    import splink.comparison_level_library as cll
    from splink import comparison_library as cl

    either = "(caregiver_a_l in (caregiver_a_r, caregiver_b_r))"
    close = (
        "(jaro_winkler_similarity(caregiver_a_l, caregiver_a_r) >= 0.9 "
        "or jaro_winkler_similarity(caregiver_a_l, caregiver_b_r) >= 0.9)"
    )
    return cl.CustomComparison(
        output_column_name="caregiver",
        comparison_levels=[
            cll.CustomLevel(
                "caregiver_a_l is null or (caregiver_a_r is null and caregiver_b_r is null)"
            ).configure(is_null_level=True),
            cll.CustomLevel(either, "caregiver is a parent"),
            cll.CustomLevel(close, "caregiver close to a parent"),
            cll.ElseLevel(),
        ],
    )


def _place_comparison():
    import splink.comparison_level_library as cll
    from splink import comparison_library as cl

    return cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.NullLevel("province_now"),
            cll.ExactMatchLevel("commune_code"),
            cll.ExactMatchLevel("province_now"),
            cll.ElseLevel(),
        ],
    )


def settings():
    """Link child records (left) to register candidates (right)."""
    from splink import SettingsCreator, block_on
    from splink import comparison_library as cl

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        comparisons=[
            _name_comparison(),
            _dob_comparison(),
            cl.ExactMatch("sex"),
            _place_comparison(),
            _caregiver_comparison(),
        ],
        # Not surname alone (about 40 % are Nguyễn): each rule pairs a strong field with another.
        # The birth date rules stay within today's province, or need the given name too: national
        # birth date + sex paired every record with every register child born that day (60M of the
        # 161M pairs at 1M children, and growing with the square of the population) to find 73 true
        # pairs in 587,939 no other rule found (docs/linkage.md, "Blocking").
        blocking_rules_to_generate_predictions=[
            block_on("dob", "sex", "province_now"),
            # A record's swapped date against the person's true one (block_on would compare
            # swapped with swapped, which is the same test as dob = dob).
            'l."dob_swapped" = r."dob" and l."sex" = r."sex" and l."province_now" = r."province_now"',
            # Across provinces: the birth date with the given name (a mover whose family name or
            # name order the commune wrote differently).
            block_on("dob", "given"),
            'l."dob_swapped" = r."dob" and l."given" = r."given"',
            block_on("given", "birth_year", "province_now"),
            block_on("name_folded", "birth_year"),
            block_on("name_sorted", "province_now"),
            block_on("surname", "given", "commune_code"),
            # A typo in the given name together with a date error: the family name, the birth year
            # and the commune; or the parent's name the register holds, and the birth year.
            block_on("surname", "birth_year", "commune_code"),
            'l."caregiver_a" = r."caregiver_a" and l."birth_year" = r."birth_year"',
            'l."caregiver_a" = r."caregiver_b" and l."birth_year" = r."birth_year"',
        ],
        retain_intermediate_calculation_columns=False,
    )
