"""The department's other sources in the sample: commune assessments, programme activities, hotline 111."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from child_warehouse.synth.department import commune_types, scoring_rules

from .helpers import Sample, read_csv, read_submission


def _encodings(sample: Sample) -> dict[tuple[str, str, str], str]:
    rows = read_csv(sample.truth_dir / "file_encodings.csv")
    return {(r["province_code"], r["period"], r["submission_type"]): r["encoding"] for r in rows}


def test_each_assessment_scores_communes_of_its_province_and_recognises_as_the_rules_say(sample: Sample):
    encodings, truth = _encodings(sample), read_csv(sample.truth_dir / "expected_assessments.csv")
    rules = scoring_rules()
    communes = commune_types(date(2025, 12, 31))
    assert len(truth) == 34
    for expected in truth:
        province = expected["province_code"]
        path = sample.landing / province / "2025-Y" / "commune_assessment.csv"
        table = read_submission(path, encodings[(province, "2025-Y", "commune_assessment")])
        assert len(table.rows) == int(expected["communes_assessed"]) > 0
        own = dict(communes[province])
        recognised = 0
        for row in table.rows:
            kind, scores = row["commune_type"], [int(row[f"criterion_{i:02d}"]) for i in range(1, 14)]
            assert own[row["commune_code"]] == kind
            assert int(row["total_score"]) == sum(scores)
            by_rules = min(scores) > 0 and sum(scores) >= rules[kind].min_total
            assert (row["recognised"] in ("Có", "1")) == by_rules
            assert row["recognised"] in ("Có", "1", "Không", "0")  # never x/empty: the column is required
            recognised += by_rules
        assert recognised == int(expected["communes_recognised"])


def test_the_indicator_report_counts_the_communes_the_assessment_recognised(sample: Sample):
    reported = {
        r["province_code"]: int(r["communes_recognised"])
        for r in read_csv(sample.truth_dir / "expected_assessments.csv")
    }
    encodings = _encodings(sample)
    for province, recognised in reported.items():
        path = sample.landing / province / "2026-9M" / "indicator_report.csv"
        table = read_submission(path, encodings[(province, "2026-9M", "indicator_report")])
        values = {(row["indicator_code"], row["disaggregation"]): row["value"] for row in table.rows}
        assert int(values[("child_friendly_communes", "total")]) == recognised


def test_the_hotline_reaches_every_province_and_intervenes_no_more_than_its_cases(sample: Sample):
    hotline = read_csv(sample.truth_dir / "expected_hotline.csv")
    cases = {
        r["province_code"]: int(r["cases_total"]) for r in read_csv(sample.truth_dir / "expected_cases.csv")
    }
    assert {r["province_code"] for r in hotline} == set(cases) | {"00"}
    table = read_submission(sample.landing / "national" / "2026-M10" / "hotline_calls.csv")
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in table.rows:
        for i, column in enumerate(("calls", "counselling_calls", "referrals", "interventions")):
            sums[row["province_code"]][i] += int(row[column])
        assert int(row["interventions"]) <= int(row["calls"])
    for expected in hotline:
        province = expected["province_code"]
        assert sums[province] == [
            int(expected[c]) for c in ("calls", "counselling_calls", "referrals", "interventions")
        ]
        assert int(expected["interventions"]) <= cases.get(province, 0)


def test_programme_truth_sums_the_file_lines(sample: Sample):
    encodings = _encodings(sample)
    truth = read_csv(sample.truth_dir / "expected_programmes.csv")
    for province in {r["province_code"] for r in truth}:
        path = sample.landing / province / "2026-H1" / "programme_activities.csv"
        table = read_submission(path, encodings[(province, "2026-H1", "programme_activities")])
        sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in table.rows:
            spending = int(row["spending_vnd"].replace(".", ""))
            line = (int(row["activities"]), int(row["children_reached"]), spending)
            sums[row["activity_type"]] = [
                a + b for a, b in zip(sums[row["activity_type"]], line, strict=True)
            ]
        expected = {
            r["activity_type"]: [int(r["activities"]), int(r["children_reached"]), int(r["spending_vnd"])]
            for r in truth
            if r["province_code"] == province
        }
        assert dict(sums) == expected
