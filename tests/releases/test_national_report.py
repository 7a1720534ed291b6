"""The national report from a release's rows (no database): national figures partial when a province
lacks one, withheld cells printed as •, every chart drawn, and the HTML and PDF written."""

from __future__ import annotations

import datetime as dt

import pypdfium2

from child_warehouse.releases import report


def _row(province: str, period: str, end: str, **figures) -> dict:
    return {"province_code": province, "period": period, "period_end_date": end, **figures}


def _data() -> report.ReportData:
    full = {"children_total_reported": 1000, "hcdb_children_reported": 80, "hcdb_supported_reported": 60,
            "drowning_deaths_reported": 0, "communes_total_reported": 100,
            "child_friendly_communes_reported": 70, "child_friendly_communes_share_reported": 0.7,
            "hcdb_supported_share_reported": 0.75}  # fmt: skip
    withheld = {**full, "drowning_deaths_reported": None, "suppressed_columns": ["drowning_deaths_reported"]}
    scorecard = {
        "2026-9M": {
            "01": _row("01", "2026-9M", "2026-09-30", **full),
            "79": _row("79", "2026-9M", "2026-09-30", **withheld),
            "66": _row("66", "2026-9M", "2026-09-30", **{**full, "village_collaborators_reported": 40}),
        },
        "2022-Y": {"01": _row("01", "2022-Y", "2022-12-31", children_total_reported=900)},
    }
    compliance = [
        {"province_code": "01", "period": "2026-9M", "submission_type": "indicator_report",
         "compliance_status": "on_time", "period_end_date": "2026-09-30"},
        {"province_code": "79", "period": "2026-9M", "submission_type": "indicator_report",
         "compliance_status": "late", "period_end_date": "2026-09-30"},
        {"province_code": "15", "period": "2022-Y", "submission_type": "indicator_report",
         "compliance_status": "late", "period_end_date": "2022-12-31"},
    ]  # fmt: skip
    return report.ReportData(
        release_number=3,
        published_at=dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC),
        approved_by="admin",
        periods=["2022-Y", "2026-9M"],
        provinces={"01": "Hà Nội", "79": "Hồ Chí Minh", "66": "Đắk Lắk"},
        scorecard=scorecard,
        compliance=compliance,
        revisions=2,
        unsigned=["66 2026-9M"],
    )


def test_national_figures_are_sums_or_shares_of_sums_and_say_when_partial():
    rows = _data().scorecard["2026-9M"]
    children = report.national(rows, "children_total_reported")
    assert (children.value, children.partial) == (3000, False)
    drowning = report.national(rows, "drowning_deaths_reported")
    assert (drowning.value, drowning.provinces, drowning.expected, drowning.withheld) == (0, 2, 3, True)
    assert report.figure_text(drowning, "count") == "0 (một phần / partial 2/3)"
    share = report.national(rows, "hcdb_supported_share_reported")
    assert share.value == 180 / 240  # from the sums, not an average of shares


def test_withheld_and_unreported_cells_print_as_marks_never_as_numbers():
    rows = _data().scorecard["2026-9M"]
    assert report.cell(rows["79"], "drowning_deaths_reported", "count") == report.WITHHELD
    assert report.cell(rows["01"], "village_collaborators_reported", "count") == report.NOT_REPORTED
    assert report.cell(rows["66"], "village_collaborators_reported", "count") == "40"
    assert report.cell(rows["01"], "fund_mobilised_vnd_reported", "count") == report.NOT_REPORTED
    assert report.fmt(1234567, "count") == "1.234.567"
    assert report.fmt(0.7512, "share") == "75,1%"


def test_the_report_has_every_chart_the_tables_and_notes_in_html_and_pdf(tmp_path):
    built = report.build(_data())
    names = {chart.name for chart in built.charts}
    assert names == {"trends", "tile_map"} | {f"ranked_{c}" for c in report.RANKED}
    assert all(chart.png.startswith(b"\x89PNG") and "<svg" in chart.svg for chart in built.charts)
    html = report.render_html(built)
    for name in names:
        assert f'data-chart="{name}"' in html
    assert "Bản phát hành số 3" in html
    assert "Muộn / Late" in html
    assert built.compliance_types == [
        "indicator_report 2026-9M"
    ]  # 2022's 15 was Yên Bái: not shown as today's
    assert "66 2026-9M" in html  # published without the province's sign-off, said in the notes
    assert {row["code"]: row["cells"][0]["rank"] for row in built.province_rows} == {
        "01": 1,
        "66": 1,
        "79": 1,
    }
    drowning = report.ranks(_data().scorecard["2026-9M"], "drowning_deaths_reported")
    assert drowning == {"01": 1, "66": 1}  # the withheld one is not ranked
    path = tmp_path / "r.pdf"
    report.render_pdf(built, path)
    document = pypdfium2.PdfDocument(str(path))
    assert len(document) >= 3
    first = document[0].get_textpage().get_text_range()
    assert "Báo cáo số liệu trẻ em toàn quốc" in first
    assert "Số liệu chính toàn quốc / National headline figures" in first
