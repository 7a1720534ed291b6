"""Provinces' sign-offs (`ledger.signoffs`, submission contract §7).

A province signs off a period by landing `approval.json` beside its files, naming each file and its
sha256. It approves exactly those contents. Discovery records every approval file it has not seen
(`record_approvals`); after validation, `settle` decides each open sign-off against the ledger:

- approved: every file it names is held, current, and accepted (with or without warnings);
- received: a named file is held but not validated yet (decided on a later run);
- refused: it names contents the warehouse does not hold, a version already replaced when it was
  signed, or a rejected file (the reason goes to the province's feedback workbook);
- withdrawn: a later version of a type it names arrived after it (until a new approval.json);
- superseded: a newer approval.json for the same province and period arrived.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from psycopg2.extras import Json

from child_warehouse.contract import signoff_reasons as why
from child_warehouse.contract.landed import LandedApproval
from child_warehouse.contract.reasons import Reason
from child_warehouse.contract.signoff_reasons import MAX_APPROVAL_BYTES

log = logging.getLogger(__name__)

SHA256 = re.compile(r"[0-9a-f]{64}")
FILE_NAME = re.compile(r"[\w][\w .\-]{0,120}\.(csv|xlsx|json)", re.IGNORECASE)
OPEN = ("received", "approved")
ACCEPTED = ("accepted", "accepted_with_warnings")


@dataclass(frozen=True)
class Parsed:
    approved_by: str | None
    approved_at: dt.datetime | None
    files: dict[str, str]
    problem: Reason | None


class _Unfit(Exception):
    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.en)
        self.reason = reason


def _approved_at(value: object) -> dt.datetime:
    try:
        approved_at = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise _Unfit(why.unreadable(f"'approved_at' = {value!r} is no time")) from None
    if approved_at.tzinfo is None:
        raise _Unfit(why.unreadable("'approved_at' has no UTC offset (+07:00)"))
    return approved_at


def _hashes(files: object) -> dict[str, str]:
    if not isinstance(files, dict) or not files:
        raise _Unfit(why.no_files())
    hashes: dict[str, str] = {}
    for name, entry in files.items():
        if not FILE_NAME.fullmatch(str(name)):  # it is shown in feedback and to the reviewer: no markup
            raise _Unfit(why.unreadable(f"{str(name)[:40]!r} is not a file name"))
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(sha, str) or not SHA256.fullmatch(sha.lower()):
            raise _Unfit(why.unreadable(f"'{name}' has no sha256"))
        hashes[str(name)] = sha.lower()
    return hashes


def _body(approval: LandedApproval) -> dict:
    if len(approval.content) > MAX_APPROVAL_BYTES:
        raise _Unfit(why.unreadable("larger than 1 MiB"))
    try:
        body = json.loads(approval.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _Unfit(why.unreadable(str(error)[:200])) from None
    if not isinstance(body, dict):
        raise _Unfit(why.unreadable("not a JSON object"))
    for field, expected in (("province_code", approval.province_code), ("period", approval.period)):
        if str(body.get(field, "")) != expected:
            raise _Unfit(why.wrong_place(field, body.get(field), expected))
    by = body.get("approved_by")
    if not isinstance(by, str) or not by.strip():
        raise _Unfit(why.unreadable("'approved_by' is missing"))
    return body


def parse(approval: LandedApproval) -> Parsed:
    """What the file says, or why it cannot be taken as a sign-off (nothing is guessed)."""
    try:
        body = _body(approval)
        return Parsed(
            body["approved_by"].strip(),
            _approved_at(body.get("approved_at")),
            _hashes(body.get("files")),
            None,
        )
    except _Unfit as unfit:
        return Parsed(None, None, {}, unfit.reason)


_INSERT = """
insert into ledger.signoffs (province_code, period, file_uri, sha256, arrived_at, discovered_run_id,
                             approved_by, approved_at, files, status, reason_code, reason_vi, reason_en,
                             decided_at)
values (%(province)s, %(period)s, %(uri)s, %(sha256)s, %(arrived_at)s, %(run_id)s, %(by)s, %(at)s,
        %(files)s, %(status)s, %(code)s, %(vi)s, %(en)s, case when %(status)s = 'refused' then now() end)
on conflict (province_code, period, sha256) do nothing
returning signoff_id
"""

# A newer approval.json replaces every open one of its province and period.
_SUPERSEDE = """
update ledger.signoffs as old
set status = 'superseded', reason_code = %(code)s, reason_vi = %(vi)s, reason_en = %(en)s, decided_at = now()
where old.province_code = %(province)s and old.period = %(period)s and old.signoff_id <> %(id)s
  and old.status in ('received', 'approved')
"""


def record_approvals(conn, approvals: Iterable[LandedApproval], run_id: str | None) -> int:
    """Record the approval files not seen before; the number recorded. Same bytes again: nothing."""
    recorded = 0
    with conn.cursor() as cur:
        for approval in sorted(approvals, key=lambda a: (a.arrived_at, a.relative_path)):
            parsed = parse(approval)
            problem = parsed.problem
            cur.execute(
                _INSERT,
                {
                    "province": approval.province_code,
                    "period": approval.period,
                    "uri": approval.uri,
                    "sha256": approval.sha256,
                    "arrived_at": approval.arrived_at,
                    "run_id": run_id,
                    "by": parsed.approved_by,
                    "at": parsed.approved_at,
                    "files": Json(parsed.files),
                    "status": "refused" if problem else "received",
                    "code": problem.code if problem else None,
                    "vi": problem.vi if problem else None,
                    "en": problem.en if problem else None,
                },
            )
            row = cur.fetchone()
            if row is None:
                continue
            recorded += 1
            if problem is None:
                gone = why.superseded()
                cur.execute(
                    _SUPERSEDE,
                    {
                        "province": approval.province_code,
                        "period": approval.period,
                        "id": row[0],
                        "code": gone.code,
                        "vi": gone.vi,
                        "en": gone.en,
                    },
                )
            log.info(
                "Sign-off %s: %s%s",
                approval.relative_path,
                "refused" if problem else "received",
                f" ({problem.en})" if problem else "",
            )
    return recorded


_OPEN = """
select signoff_id, province_code, period, status, arrived_at, files
from ledger.signoffs where status in ('received', 'approved') order by signoff_id
"""

_HELD = """
select s.submission_id, s.file_name, s.submission_type, s.version, s.status, s.sha256, s.reason_vi,
       s.reason_en, s.arrived_at
from ledger.submissions as s
where s.province_code = %(province)s and s.period = %(period)s and s.version is not null
"""


@dataclass(frozen=True)
class _Held:
    submission_id: int
    file_name: str
    submission_type: str
    version: int
    status: str
    sha256: str
    reason_vi: str | None
    reason_en: str | None
    arrived_at: dt.datetime


def _decide(status: str, arrived_at: dt.datetime, files: dict[str, str], held: list[_Held]):
    """(new status, reason, withdrawn_by, submission ids) for one open sign-off."""
    latest: dict[str, _Held] = {}
    for h in held:
        if h.submission_type not in latest or h.version > latest[h.submission_type].version:
            latest[h.submission_type] = h
    by_sha = {h.sha256: h for h in held}
    waiting, ids = False, []
    for name, sha in sorted(files.items()):
        found = by_sha.get(sha)
        if found is None:
            return "refused", why.not_held(name, sha), None, None
        newest = latest[found.submission_type]
        if newest.version > found.version:
            if newest.arrived_at > arrived_at or status == "approved":
                reason = why.withdrawn(newest.file_name.rsplit("/", 1)[-1], newest.version)
                return "withdrawn", reason, newest.submission_id, None
            return "refused", why.superseded_version(name, found.version, newest.version), None, None
        if found.status == "rejected":
            return "refused", why.rejected_file(name, found.reason_vi, found.reason_en), None, None
        waiting = waiting or found.status not in ACCEPTED
        ids.append(found.submission_id)
    if waiting:
        return "received", None, None, None
    return "approved", None, None, ids


_DECIDED = """
update ledger.signoffs
set status = %(status)s, reason_code = %(code)s, reason_vi = %(vi)s, reason_en = %(en)s,
    withdrawn_by = %(withdrawn_by)s, submission_ids = coalesce(%(ids)s, submission_ids), decided_at = now()
where signoff_id = %(id)s
"""


def settle(conn) -> dict[str, int]:
    """Decide every open sign-off against the ledger as it is now; counts of what changed, by status."""
    changed: dict[str, int] = {}
    with conn.cursor() as cur:
        cur.execute(_OPEN)
        for signoff_id, province, period, status, arrived_at, files in cur.fetchall():
            with conn.cursor() as held_cur:
                held_cur.execute(_HELD, {"province": province, "period": period})
                held = [_Held(*row) for row in held_cur.fetchall()]
            new_status, reason, withdrawn_by, ids = _decide(status, arrived_at, files, held)
            if new_status == status:
                continue
            cur.execute(
                _DECIDED,
                {
                    "id": signoff_id,
                    "status": new_status,
                    "code": reason.code if reason else None,
                    "vi": reason.vi if reason else None,
                    "en": reason.en if reason else None,
                    "withdrawn_by": withdrawn_by,
                    "ids": ids,
                },
            )
            changed[new_status] = changed.get(new_status, 0) + 1
            log.info(
                "Sign-off of province %s for %s: %s%s",
                province,
                period,
                new_status,
                f" ({reason.en})" if reason else "",
            )
    return changed


def for_feedback(conn, province_code: str, period: str) -> list[dict]:
    """The province's sign-offs of the period, newest first, for its feedback workbook."""
    with conn.cursor() as cur:
        cur.execute(
            """select file_uri, approved_by, approved_at, status, reason_vi, reason_en, arrived_at
               from ledger.signoffs where province_code = %s and period = %s
               order by arrived_at desc, signoff_id desc""",
            (province_code, period),
        )
        names = [d.name for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
