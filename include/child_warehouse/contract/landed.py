"""A file as it landed (contract §1): where it is, its bytes, and what its path says it holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from child_warehouse.contract.reasons import Reason


@dataclass(frozen=True)
class LandedFile:
    """A file found under the landing root, read from its path and content (sources.landing finds
    them; the ledger records them)."""

    relative_path: str
    uri: str
    size_bytes: int
    sha256: str
    arrived_at: dt.datetime
    province_code: str | None
    period: str | None
    submission_type: str | None
    problem: Reason | None


@dataclass(frozen=True)
class LandedApproval:
    """A province's sign-off file (`<province>/<period>/approval.json`, contract §7) as it landed: its
    bytes (bounded, read once) and what its folder says it signs off."""

    relative_path: str
    uri: str
    sha256: str
    arrived_at: dt.datetime
    province_code: str
    period: str
    content: bytes
