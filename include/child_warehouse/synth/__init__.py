"""Seeded generator of a population register, provincial submissions and their ground truth."""

from child_warehouse.synth.generate import SampleSummary, generate_sample

__all__ = ["SampleSummary", "generate_sample"]
