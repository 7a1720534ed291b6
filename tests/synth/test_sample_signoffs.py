"""The sample's sign-offs: approval.json beside the files it approves, by their sha256, after them;
the unsigned and the earlier-draft ones as its truth says."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from .helpers import Sample, read_csv


def test_each_sign_off_names_the_files_beside_it_as_its_truth_says(sample: Sample) -> None:
    truth = read_csv(sample.truth_dir / "signoffs.csv")
    assert {row["expected_status"] for row in truth} <= {"approved", "refused", "none"}
    assert sum(row["expected_status"] == "approved" for row in truth) > len(truth) // 2
    for row in truth:
        folder = sample.landing / row["province_code"] / row["period"]
        approval = folder / "approval.json"
        if row["expected_status"] == "none":
            assert not approval.exists()
            continue
        body = json.loads(approval.read_text(encoding="utf-8"))
        assert (body["province_code"], body["period"]) == (row["province_code"], row["period"])
        on_disk = {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.iterdir()
            if p.name != approval.name
        }
        named = {name: entry["sha256"] for name, entry in body["files"].items()}
        assert set(named) == set(on_disk)
        matching = {name for name in named if named[name] == on_disk[name]}
        if row["expected_status"] == "approved":
            assert matching == set(named)
        else:  # an earlier draft: one hash the warehouse never received
            assert len(named) - len(matching) == 1
        arrived = max(p.stat().st_mtime for p in folder.iterdir() if p.name != approval.name)
        assert approval.stat().st_mtime > arrived  # signed after the files arrived
        assert dt.datetime.fromisoformat(body["approved_at"]).utcoffset() == dt.timedelta(hours=7)
