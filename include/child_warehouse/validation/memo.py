"""Great Expectations' expectation configurations, built once per expectation during a validation.

GX 1.x derives an expectation's configuration afresh on every read of `Expectation.configuration`
(a property that serialises the whole pydantic model and builds an `ExpectationConfiguration`), and
reads it again for every success, runtime and domain keyword, every metric and the result: about
fifty times per expectation in one validation. Profiled on five of the sample's provinces (31 files,
about twenty expectations a file), that property took a fifth of the validation's time. Measured on
2026-12-07: validating the sample's files in one process took 35-38 s of CPU with the memo, 42 s
without (two runs each); the sample's night through Airflow 61.8-67.7 s instead of 64.4-70.5 s
(three nights each, alternated), its processes' CPU 103-116 s instead of 116-124 s.

`memoised_configurations()` keeps, while a validation runs, the configuration each expectation
object built, and forgets it as soon as anything is assigned to that object (pydantic's
`__setattr__`, how GX changes an expectation, as `render()` does). The expectations read during a validation
are the suite's and GX's own copies made for it (`ExpectationConfiguration.to_domain_obj`), which
nothing changes while it runs. The patch is class-wide while it lasts, so validations in one process
run one at a time (as a task's do). Results are the same with and without it
(tests/validation/test_memo.py compares every suite's findings on spoilt files).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def memoised_configurations() -> Iterator[None]:
    from great_expectations.expectations.expectation import Expectation

    built = Expectation.__dict__["configuration"]  # the property, as GX defines it
    own_setattr = "__setattr__" in Expectation.__dict__
    assign = Expectation.__setattr__
    # keyed by object id, holding the object itself so that an id reused after it is freed cannot
    # return another expectation's configuration
    kept: dict[int, tuple[object, object]] = {}

    def configuration(self):
        entry = kept.get(id(self))
        if entry is None or entry[0] is not self:
            entry = kept[id(self)] = (self, built.fget(self))
        return entry[1]

    def forget_then_assign(self, name, value):
        kept.pop(id(self), None)
        assign(self, name, value)

    Expectation.configuration = property(configuration, doc=built.__doc__)
    Expectation.__setattr__ = forget_then_assign
    try:
        yield
    finally:
        Expectation.configuration = built
        if own_setattr:
            Expectation.__setattr__ = assign
        else:
            del Expectation.__setattr__
        kept.clear()
