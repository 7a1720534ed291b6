"""The publication tasks: the candidate a national reviewer is shown, the decision, the release and its
report (DAG `publish_period`), and the nightly suggestion of periods ready to publish."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from airflow.sdk import task
from airflow.sdk.exceptions import AirflowFailException

from child_warehouse import settings
from child_warehouse.orchestration.roles import stage_role

log = logging.getLogger("child_warehouse.summary")

APPROVE, REJECT = "Công bố / Publish", "Từ chối / Reject"


def _periods(params: dict | None) -> list[str]:
    from child_warehouse.sources.landing import PERIOD_PATTERN

    periods = sorted(set((params or {}).get("periods") or []))
    bad = [p for p in periods if not PERIOD_PATTERN.match(str(p))]
    if not periods or bad:
        raise AirflowFailException(
            'publish_period needs \'periods\', a list such as ["2026-Q3", "2026-M10"]; '
            f"got {periods or 'none'}"
        )
    return periods


@task
def assemble_candidate(params: dict | None = None) -> dict:
    """What would be published: the periods' provinces signed off and missing, the files' verdicts and
    flagged rows, the largest changes against the last release, and the fingerprint the release must
    match. Read as the publisher; nothing is written."""
    from child_warehouse.db.connection import transaction
    from child_warehouse.releases import candidate

    periods = _periods(params)
    with stage_role("publisher"), transaction() as conn:
        found = candidate.assemble(conn, periods)
        conn.rollback()
    body = candidate.as_markdown(found)
    log.info(
        "Summary: candidate release of %s: %d mart rows, %d of %d province-periods signed off, "
        "%d large change(s) against release %s; fingerprint %s",
        ", ".join(periods),
        found.rows,
        len(found.signed_off()),
        len(found.signoffs),
        len(found.changes),
        found.last_release or "none",
        found.fingerprint[:16],
    )
    return {
        "periods": periods,
        "fingerprint": found.fingerprint,
        "markdown": body,
        "candidate": found.as_dict(),
    }


def _reviewer(decision: dict) -> str:
    user = decision.get("responded_by_user") or {}
    return str(user.get("name") or user.get("id") or "unknown")


def _note(decision: dict) -> str | None:
    note = (decision.get("params_input") or {}).get("note")
    return str(note).strip() or None if note is not None else None


_DECISION = """
insert into release.decisions (periods, decision, decided_by, decided_at, note, dag_run_id, candidate,
                               release_id)
values (%(periods)s, %(decision)s, %(by)s, %(at)s, %(note)s, %(run)s, %(candidate)s, %(release)s)
"""


def _record(
    conn, candidate: dict, decision: dict, outcome: str, *, run_id: str | None, release_id=None
) -> None:
    from psycopg2.extras import Json

    with conn.cursor() as cur:
        cur.execute(
            _DECISION,
            {
                "periods": candidate["periods"],
                "decision": outcome,
                "by": _reviewer(decision),
                "at": decision.get("responded_at") or dt.datetime.now(dt.UTC),
                "note": _note(decision),
                "run": run_id,
                "candidate": Json({k: v for k, v in candidate.items() if k != "markdown"}, dumps=_dumps),
                "release": release_id,
            },
        )


def _decided(conn, run_id: str | None) -> bool:
    """This run's decision is recorded already (a retry after the first try committed)."""
    with conn.cursor() as cur:
        cur.execute("select exists (select from release.decisions where dag_run_id = %s)", (run_id,))
        return cur.fetchone()[0]


def _dumps(value) -> str:
    import json

    return json.dumps(value, default=str, ensure_ascii=False)


@task
def act_on_decision(candidate: dict, decision: dict, run_id: str | None = None) -> dict:
    """Publish on approval (exactly the approved contents, else nothing and the task fails); on
    rejection record the reason. Either way the reviewer Airflow authenticated and the decision are kept
    in `release.decisions`."""
    from child_warehouse.db.connection import transaction
    from child_warehouse.releases.publish import StaleCandidate, publish

    chosen = (decision.get("chosen_options") or [""])[0]
    reviewer = _reviewer(decision)
    with stage_role("publisher"):
        if chosen != APPROVE:
            with transaction() as conn:
                _record(conn, candidate, decision, "rejected", run_id=run_id)
            log.info(
                "Summary: decision: %s rejected the release of %s: %s",
                reviewer,
                ", ".join(candidate["periods"]),
                _note(decision) or "no reason given",
            )
            return {"published": False, "release_number": None}
        try:
            with transaction() as conn:
                release = publish(
                    conn,
                    candidate["periods"],
                    approved_by=reviewer,
                    note=_note(decision),
                    dag_run_id=run_id,
                    expected_fingerprint=candidate["fingerprint"],
                )
                if not _decided(conn, run_id):
                    _record(
                        conn, candidate, decision, "approved", run_id=run_id, release_id=release.release_id
                    )
        except StaleCandidate as stale:
            with transaction() as conn:
                _record(conn, candidate, decision, "stale", run_id=run_id)
            raise AirflowFailException(str(stale)) from stale
    log.info(
        "Summary: decision: %s approved; release %d published (%s): %d mart rows, %d revised figure(s)",
        reviewer,
        release.release_number,
        ", ".join(release.periods),
        release.rows_published,
        release.revisions,
    )
    return {"published": True, "release_number": release.release_number}


@task
def write_national_report(outcome: dict) -> list[str]:
    """The national report of the release just published, as HTML and PDF, read as the publisher from
    the release (not the provisional marts), small cells withheld as in the marts."""
    from child_warehouse.releases.report import write_report

    if not outcome.get("published"):
        log.info("Summary: report: nothing published, no report")
        return []
    with stage_role("publisher"):
        paths = write_report(outcome["release_number"], report_folder(outcome["release_number"]))
    log.info("Summary: report: %s", ", ".join(str(p) for p in paths))
    return [str(p) for p in paths]


@task
def suggest_publication(data_interval_end=None) -> list[dict]:
    """Periods ready to publish (every expected province signed off, or the deadline passed) whose
    contents differ from their last release: one publish_period run is suggested for them all; it waits
    in Required Actions for a reviewer. Its run id carries the contents' fingerprint, so the same
    contents are never suggested twice."""
    from child_warehouse.db.connection import transaction
    from child_warehouse.releases import candidate, publish

    today = (data_interval_end or dt.datetime.now(dt.UTC)).astimezone(settings.zone_info()).date()
    with stage_role("publisher"), transaction() as conn:
        ready = candidate.ready_periods(conn, today)
        conn.rollback()
        if not ready:
            log.info("Summary: publication: no period ready to publish")
            return []
        periods = [period for period, _ in ready]
        content = publish.fingerprint(publish.stage_candidate(conn, periods))
        conn.rollback()
    log.info(
        "Summary: publication: %d period(s) ready to publish: %s; suggested as one publish_period run",
        len(ready),
        "; ".join(f"{period} ({why})" for period, why in ready),
    )
    return [{"trigger_run_id": f"suggested__{content[:16]}", "conf": {"periods": periods}}]


def report_folder(release_number: int) -> Path:
    return settings.reports_root() / f"release-{release_number:03d}"
