"""Seeded generator of a population register, provincial submissions and their ground truth."""

from child_warehouse.synth.faults import FaultRates
from child_warehouse.synth.generate import SampleSummary, generate_sample


def __getattr__(name: str) -> object:
    # The national generator pulls in numpy; the demo's sample path should not pay for it.
    if name in ("generate_national", "NationalSummary"):
        from child_warehouse.synth import national

        return getattr(national, name)
    raise AttributeError(name)


__all__ = ["FaultRates", "NationalSummary", "SampleSummary", "generate_national", "generate_sample"]
