"""The file ledger (`ledger.submissions`): every file seen, its version and its status. This package
is the only writer of a submission's status; every stage moves a file through its named transitions."""

from child_warehouse.ledger.states import ACCEPTED, FINAL, NEEDS_ATTENTION, PENDING, IllegalTransition, Status
from child_warehouse.ledger.store import (
    Submission,
    awaiting_verdict,
    feedback_due,
    pending_provinces,
    pending_submissions,
    record_feedback,
    record_landed_files,
    record_linked,
    record_load,
    record_load_failure,
    record_matched,
    record_refusal,
    record_verdict,
    reopen,
    to_link_by_id,
    to_match,
    unrecorded_files,
)

__all__ = [
    "ACCEPTED",
    "FINAL",
    "NEEDS_ATTENTION",
    "PENDING",
    "IllegalTransition",
    "Status",
    "Submission",
    "awaiting_verdict",
    "feedback_due",
    "pending_provinces",
    "pending_submissions",
    "record_feedback",
    "record_landed_files",
    "record_linked",
    "record_load",
    "record_load_failure",
    "record_matched",
    "record_refusal",
    "record_verdict",
    "reopen",
    "to_link_by_id",
    "to_match",
    "unrecorded_files",
]
