"""A submission's states and the transitions between them: the only way a status changes.

(new file) --discover--> discovered --load--> loaded --conclude--> accepted
    |                       |   ^                |                 accepted_with_warnings
    |                       |   |                +--conclude-----> rejected
    |                       |   +--retry----+
    |                       +--fail_load--> load_failed --load / refuse--> ...
    +--discover (bad path)--+--refuse-----> rejected
any state but discovered --reopen (reprocess)--> discovered
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DISCOVERED = "discovered"  # recorded, waiting to be loaded
    LOADED = "loaded"  # rows in raw.*, waiting for validation
    LOAD_FAILED = "load_failed"  # the load hit an infrastructure fault; the next run loads it again
    REJECTED = "rejected"  # refused whole (where, what or how it was sent, or too many bad rows)
    ACCEPTED = "accepted"
    ACCEPTED_WITH_WARNINGS = "accepted_with_warnings"


PENDING = frozenset({Status.DISCOVERED, Status.LOAD_FAILED})  # ingest's work
ACCEPTED = frozenset({Status.ACCEPTED, Status.ACCEPTED_WITH_WARNINGS})  # what the marts count
FINAL = frozenset({Status.REJECTED, *ACCEPTED})  # a night leaves every file here
# Needs an engineer's or a province's eye after a night: refused, or stuck before its verdict.
NEEDS_ATTENTION = frozenset({Status.REJECTED, Status.LOAD_FAILED, Status.LOADED})


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[Status]
    targets: frozenset[Status]


TRANSITIONS = {
    t.name: t
    for t in (
        # discovery writes new rows: a file in the wrong place is refused at once
        Transition("discover", frozenset(), frozenset({Status.DISCOVERED, Status.REJECTED})),
        Transition("load", PENDING, frozenset({Status.LOADED})),
        Transition("refuse", PENDING, frozenset({Status.REJECTED})),
        Transition("fail_load", PENDING, frozenset({Status.LOAD_FAILED})),
        Transition("conclude", frozenset({Status.LOADED}), FINAL),
        Transition("reopen", frozenset(Status) - {Status.DISCOVERED}, frozenset({Status.DISCOVERED})),
    )
}


class IllegalTransition(RuntimeError):
    """A stage tried to move a submission along a transition its state does not allow."""


def check(transition: str, current: Status | str, target: Status | str) -> None:
    """Raise unless `transition` may move a submission from `current` to `target`."""
    rule = TRANSITIONS[transition]
    if Status(current) not in rule.sources or Status(target) not in rule.targets:
        raise IllegalTransition(f"{transition}: {current} -> {target} is not allowed")
