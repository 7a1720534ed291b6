"""The generator's personal IDs at national scale: a large province's births of one year and sex fit."""

from __future__ import annotations

import numpy as np

from child_warehouse.synth.bulk_names import MOVER_SLOT, ROLE_STRIDE, issue_ids


def test_a_large_provinces_births_of_one_year_get_distinct_ids():
    # Hồ Chí Minh City registers about 70,000 births of each sex a year: far past what one residue
    # class of 128 held (7,812 tails), which stopped a 4M-children sample.
    count = 120_000
    rng = np.random.default_rng(7)
    same = np.full(count, 79)
    ids = issue_ids(rng, same, same, sex=np.zeros(count, dtype=np.int64), years=np.full(count, 2015), slot=5)
    assert len(set(ids)) == count
    assert all(pid.startswith("079215") for pid in ids[:100])


def test_roles_jobs_and_movers_never_issue_the_same_id():
    rng = np.random.default_rng(11)
    count = 1_000
    years, sex = np.full(count, 2012), np.ones(count, dtype=np.int64)
    born, living_elsewhere = np.full(count, 1), np.full(count, 79)
    issued = [
        issue_ids(rng, born, born, sex=sex, years=years, slot=0),  # Hà Nội's children, born there
        issue_ids(rng, born, born, sex=sex, years=years, slot=ROLE_STRIDE),  # its parents' call, same prefix
        issue_ids(
            rng, born, living_elsewhere, sex=sex, years=years, slot=3
        ),  # born in Hà Nội, living in HCMC
        issue_ids(rng, born, living_elsewhere, sex=sex, years=years, slot=3 + ROLE_STRIDE),
        issue_ids(rng, born, born, sex=sex, years=years, slot=MOVER_SLOT),
    ]
    together = np.concatenate(issued)
    assert len(set(together)) == len(together)
