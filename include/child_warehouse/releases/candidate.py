"""What a national reviewer is shown before approving a release, and which periods are ready.

The candidate of a set of periods: the provinces expected in each period and their sign-off (in force,
refused, withdrawn, not sent), the files' verdicts and flagged rows, and the largest changes against
the last release of each period. It ends with the fingerprint that `publish` checks, so the release is
exactly what the reviewer approved. `ready_periods` says which periods to suggest: every expected
province signed off, or the period's last deadline has passed, and the period is not published with
the same contents already. A period nobody sent anything for is never suggested.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from child_warehouse.releases import publish

SIGNOFF_STATES = """
with expected as (
    select distinct province_code, period from marts.submission_compliance
    where period = any(%(periods)s) and (is_expected or is_received)
),
latest as (
    select distinct on (province_code, period) province_code, period, status, approved_by, reason_en
    from ledger.signoffs where period = any(%(periods)s) and status <> 'superseded'
    order by province_code, period, signoff_id desc
)
select e.period, e.province_code, p.province_name_vi, coalesce(l.status, 'missing'), l.approved_by,
       l.reason_en
from expected as e
left join latest as l using (province_code, period)
left join lateral (
    select x.name_vi as province_name_vi from reference.provinces as x
    where x.province_code = e.province_code and x.valid_from <= util.period_end_date(e.period)
      and (x.valid_to is null or x.valid_to >= util.period_end_date(e.period))
    limit 1
) as p on true
order by e.period, e.province_code
"""

VERDICTS = """
select s.period, s.submission_type, s.status, count(*), coalesce(sum(s.rows_with_warnings), 0),
       coalesce(sum(s.rows_with_errors), 0)
from ledger.submissions as s
where s.period = any(%(periods)s) and s.version = (
    select max(v.version) from ledger.submissions as v
    where v.province_code = s.province_code and v.period = s.period and v.submission_type = s.submission_type)
group by 1, 2, 3 order by 1, 2, 3
"""

# Numeric figures that moved most against the period's last release (relative to the old value).
LARGEST_CHANGES = """
with old_rows as (
    select r.* from release.mart_rows as r
    join previous_release as p on p.release_id = r.release_id and p.period = r.period
)
select n.mart, n.province_code, n.period, f.figure, (o.row_values ->> f.figure)::numeric,
       (n.row_values ->> f.figure)::numeric
from candidate_rows as n
join old_rows as o on o.mart = n.mart and o.row_key = n.row_key
cross join lateral jsonb_object_keys(n.row_values) as f (figure)
where jsonb_typeof(n.row_values -> f.figure) = 'number' and jsonb_typeof(o.row_values -> f.figure) = 'number'
  and not (n.row_key ? f.figure)
  and (n.row_values -> f.figure) <> (o.row_values -> f.figure)
order by abs((n.row_values ->> f.figure)::numeric - (o.row_values ->> f.figure)::numeric)
         / greatest(abs((o.row_values ->> f.figure)::numeric), 1) desc, 1, 2, 3, 4
limit %(limit)s
"""


SIGNOFF_FIELDS = ("period", "province_code", "province_name", "status", "approved_by", "reason")
VERDICT_FIELDS = ("period", "submission_type", "status", "files", "rows_warned", "rows_excluded")
CHANGE_FIELDS = ("mart", "province_code", "period", "figure", "old", "new")


def _rows(cur, query: str, params: dict, fields: tuple[str, ...]) -> list[dict]:
    cur.execute(query, params)
    return [dict(zip(fields, row, strict=True)) for row in cur.fetchall()]


@dataclass
class Candidate:
    periods: list[str]
    fingerprint: str
    period_fingerprints: dict[str, str]
    signoffs: list[dict] = field(default_factory=list)
    verdicts: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    last_release: int | None = None
    rows: int = 0

    def as_dict(self) -> dict:
        return asdict(self)

    def signed_off(self) -> list[str]:
        return [f"{s['province_code']}/{s['period']}" for s in self.signoffs if s["status"] == "approved"]

    def not_signed_off(self) -> list[dict]:
        return [s for s in self.signoffs if s["status"] != "approved"]


def assemble(conn, periods: list[str], largest: int = 10) -> Candidate:
    """The candidate release of `periods`, read in the caller's transaction (rolled back after)."""
    periods = sorted(set(periods))
    per_period = publish.stage_candidate(conn, periods)
    with conn.cursor() as cur:
        cur.execute(publish._PREVIOUS, {"periods": periods})
        cur.execute("select count(*) from candidate_rows")
        rows = cur.fetchone()[0]
        cur.execute(
            "select max(r.release_number) from release.releases as r join previous_release using (release_id)"
        )
        last = cur.fetchone()[0]
        signoffs = _rows(cur, SIGNOFF_STATES, {"periods": periods}, SIGNOFF_FIELDS)
        verdicts = _rows(cur, VERDICTS, {"periods": periods}, VERDICT_FIELDS)
        changes = _rows(cur, LARGEST_CHANGES, {"limit": largest}, CHANGE_FIELDS)
    for change in changes:
        change["old"], change["new"] = float(change["old"]), float(change["new"])
    return Candidate(
        periods, publish.fingerprint(per_period), per_period, signoffs, verdicts, changes, last, rows
    )


STATUS_VI = {
    "approved": "đã phê duyệt / signed off",
    "received": "chờ kiểm tra tệp / waiting for validation",
    "refused": "bị từ chối / refused",
    "withdrawn": "đã rút lại / withdrawn",
    "missing": "chưa gửi / not sent",
}


def as_markdown(candidate: Candidate) -> str:
    """The reviewer's view (Airflow's Required Actions page renders it)."""
    out = [
        f"**Kỳ / Periods**: {', '.join(candidate.periods)} · **{candidate.rows}** dòng số liệu / mart rows · "
        f"bản phát hành trước / last release: {candidate.last_release or 'chưa có / none'}",
        "",
        "### Phê duyệt của tỉnh / Provincial sign-off",
    ]
    for period in candidate.periods:
        here = [s for s in candidate.signoffs if s["period"] == period]
        signed = sum(1 for s in here if s["status"] == "approved")
        out.append(f"- **{period}**: {signed}/{len(here)} tỉnh đã phê duyệt / provinces signed off")
        by_status: dict[str, list[str]] = {}
        for s in here:
            if s["status"] != "approved":
                by_status.setdefault(s["status"], []).append(s["province_code"])
        out += [f"  - {STATUS_VI.get(st, st)}: {', '.join(codes)}" for st, codes in sorted(by_status.items())]
    refused = [s for s in candidate.not_signed_off() if s["reason"]]
    out += [f"- {s['province_code']} {s['period']}: {s['reason']}" for s in refused[:10]]
    out += [
        "",
        "### Kết quả kiểm tra tệp / File verdicts",
        "",
        "| Kỳ | Loại / Type | Kết quả / Verdict | Tệp / Files | Dòng cảnh báo / Rows warned "
        "| Dòng bị loại / Rows excluded |",
        "|---|---|---|---|---|---|",
    ]
    out += [
        f"| {v['period']} | {v['submission_type']} | {v['status']} | {v['files']} | {v['rows_warned']} "
        f"| {v['rows_excluded']} |"
        for v in candidate.verdicts
    ]
    out += ["", "### Thay đổi lớn nhất so với bản trước / Largest changes against the last release", ""]
    if candidate.last_release is None:
        out.append("Chưa có bản phát hành nào cho các kỳ này / No earlier release of these periods.")
    elif not candidate.changes:
        out.append("Không có số liệu nào thay đổi / No figure changed.")
    else:
        out += [
            "| Bảng / Mart | Tỉnh | Kỳ | Chỉ tiêu / Figure | Cũ / Old | Mới / New |",
            "|---|---|---|---|---|---|",
        ]
        out += [
            f"| {c['mart']} | {c['province_code']} | {c['period']} | {c['figure']} | {c['old']:g} "
            f"| {c['new']:g} |"
            for c in candidate.changes
        ]
    out += ["", f"Dấu vân tay / Fingerprint: `{candidate.fingerprint[:16]}`"]
    return "\n".join(out)


READINESS = """
with expected as (
    select period, province_code, max(deadline_date) as deadline, bool_or(is_received) as received
    from marts.submission_compliance where is_expected or is_received group by 1, 2
),
signed as (
    select distinct province_code, period from ledger.signoffs where status = 'approved'
)
select e.period,
       count(*) = count(s.province_code) as all_signed,
       max(e.deadline) < %(today)s as deadline_passed
from expected as e left join signed as s using (province_code, period)
group by e.period
having bool_or(e.received)
order by e.period
"""


def ready_periods(conn, today: dt.date) -> list[tuple[str, str]]:
    """(period, why) for each period to suggest for publication: every expected province signed off or
    the deadline passed, and its contents differ from its last release (or it has none)."""
    with conn.cursor() as cur:
        cur.execute(READINESS, {"today": today})
        ready = [(period, "every province signed off" if signed else "the deadline has passed")
                 for period, signed, passed in cur.fetchall() if signed or passed]  # fmt: skip
    if not ready:
        return []
    per_period = publish.stage_candidate(conn, [p for p, _ in ready])
    with conn.cursor() as cur:
        cur.execute(
            """select distinct on (period) period, content_sha256 from release.release_periods
               where period = any(%s) order by period, release_id desc""",
            ([p for p, _ in ready],),
        )
        published = dict(cur.fetchall())
    return [(period, why) for period, why in ready if published.get(period) != per_period[period]]
