"""The national report of a release: HTML and PDF, in Vietnamese with English beside it.

Read from the release itself (`release.mart_rows`: the rows of every period as last published up to
and including this release), never from the provisional marts, so the report of release n is the
same whenever it is written. Contents: the headline figures nationally (for the latest period in the
release that reports each), a tile grid of the 34 provinces, trends across the July 2025 reform on
today's boundaries with partial coverage marked, ranked bars, the figures and ranks per province,
the submission compliance table and data-quality notes. Small cells stay withheld: a value the marts
withheld (1-4) is shown as "•", a value not reported as "–", and a national figure that lacks a
province is marked partial ("n/34"), never presented as a total.

HTML by Jinja2 with the charts inline as SVG; PDF by ReportLab with the charts as PNG and the DejaVu
Sans font matplotlib ships (every Vietnamese letter). Both work offline.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from child_warehouse import settings
from child_warehouse.db.connection import transaction
from child_warehouse.releases import charts

# (column of provincial_scorecard_today, Vietnamese, English, kind); a share is recomputed nationally
# from its numerator and denominator (never averaged).
HEADLINES = (
    ("children_total_reported", "Số trẻ em", "Children", "count"),
    ("hcdb_children_reported", "Trẻ em có hoàn cảnh đặc biệt", "Children in special circumstances", "count"),
    ("hcdb_supported_share_reported", "Tỷ lệ trẻ HCĐB được trợ giúp", "Share of them supported", "share"),
    ("at_risk_children_reported", "Trẻ có nguy cơ rơi vào HCĐB", "Children at risk", "count"),
    ("poor_children_reported", "Trẻ em thuộc hộ nghèo", "Children in poor households", "count"),
    ("abuse_cases_reported", "Số vụ xâm hại trẻ em", "Child abuse cases", "count"),
    ("drowning_deaths_reported", "Trẻ em tử vong do đuối nước", "Child drowning deaths", "count"),
    (
        "child_friendly_communes_share_reported",
        "Tỷ lệ xã phù hợp với trẻ em",
        "Child-friendly communes",
        "share",
    ),
    (
        "village_collaborators_reported",
        "Cộng tác viên thôn, bản",
        "Village child-protection workers",
        "count",
    ),
    (
        "fund_mobilised_vnd_reported",
        "Quỹ Bảo trợ trẻ em huy động (triệu đồng)",
        "Child fund mobilised (VND million)",
        "million",
    ),
)
SHARES = {
    "hcdb_supported_share_reported": ("hcdb_supported_reported", "hcdb_children_reported"),
    "child_friendly_communes_share_reported": ("child_friendly_communes_reported", "communes_total_reported"),
}
RANKED = (
    "drowning_deaths_reported",
    "hcdb_supported_share_reported",
    "child_friendly_communes_share_reported",
    "village_collaborators_reported",
)
MAPPED = "child_friendly_communes_share_reported"  # reported by every province, never a count of children
COMPLIANCE = {
    "on_time": "Đúng hạn / On time",
    "late": "Muộn / Late",
    "missing": "Chưa nộp / Missing",
    "rejected": "Bị từ chối / Rejected",
    "not_due": "Chưa đến hạn / Not due",
}
WITHHELD, NOT_REPORTED = "•", "–"
READING = (
    "Số liệu đã công bố: không thay đổi sau khi công bố. • = số từ 1 đến 4, được ẩn để bảo vệ trẻ em; "
    '– = không báo cáo; "một phần n/34" = tổng của các tỉnh có số liệu, không phải tổng toàn quốc. '
    "Theo địa giới 34 tỉnh hiện nay.\n"
    "Published figures, never changed after publication. • = a count from 1 to 4, withheld to protect "
    'children; – = not reported; "partial n/34" = the sum of the provinces that have the figure, not a '
    "national total. On today's 34 provinces."
)


@dataclass
class Figure:
    value: float | None
    provinces: int
    expected: int
    withheld: bool = False

    @property
    def partial(self) -> bool:
        return self.provinces < self.expected


@dataclass
class ReportData:
    release_number: int
    published_at: dt.datetime
    approved_by: str
    periods: list[str]
    provinces: dict[str, str]
    scorecard: dict[str, dict[str, dict]]  # period -> province -> row (today's boundaries)
    compliance: list[dict]
    revisions: int
    unsigned: list[str]
    headline_period: dict[str, str] = field(default_factory=dict)


_ROWS = """
select m.period, m.province_code, m.row_values
from release.mart_rows as m
where m.mart = %(mart)s
  and m.release_id = (select max(p.release_id) from release.release_periods as p
                      where p.period = m.period and p.release_id <= %(release_id)s)
"""


def load(conn, release_number: int) -> ReportData:
    """Everything the report shows, read from release `release_number` (and earlier releases of the
    periods it does not hold, for the trends)."""
    with conn.cursor() as cur:
        cur.execute(
            """select release_id, published_at, approved_by, periods from release.releases
               where release_number = %s""",
            (release_number,),
        )
        found = cur.fetchone()
        if found is None:
            raise LookupError(f"no release {release_number}")
        release_id, published_at, approved_by, periods = found
        cur.execute(_ROWS, {"mart": "provincial_scorecard_today", "release_id": release_id})
        scorecard: dict[str, dict[str, dict]] = {}
        for period, province, row in cur.fetchall():
            scorecard.setdefault(period, {})[province] = row
        cur.execute(
            """select row_values from release.mart_rows
               where release_id = %s and mart = 'submission_compliance'""",
            (release_id,),
        )
        compliance = [r[0] for r in cur.fetchall()]
        cur.execute("select count(*) from release.revisions where release_id = %s", (release_id,))
        revisions = cur.fetchone()[0]
        cur.execute(
            """select distinct province_code || ' ' || period from release.basis
               where release_id = %s and signoff_id is null order by 1""",
            (release_id,),
        )
        unsigned = [r[0] for r in cur.fetchall()]
        cur.execute("select province_code, short_name_vi from reference.provinces where valid_to is null")
        provinces = dict(cur.fetchall())
    return ReportData(
        release_number, published_at, approved_by, sorted(periods), provinces, scorecard, compliance,
        revisions, unsigned,
    )  # fmt: skip


def _value(row: dict, column: str) -> float | None:
    value = row.get(column)
    return None if value is None else float(value)


def _withheld(row: dict, column: str) -> bool:
    suppressed = set(row.get("suppressed_columns") or []) | set(row.get("partial_suppressed_columns") or [])
    if column in SHARES:
        return any(part in suppressed for part in SHARES[column]) or column in suppressed
    return column in suppressed


def national(rows: dict[str, dict], column: str) -> Figure:
    """The national figure from today's provinces: a sum (or a share of sums) over those that have the
    figure; partial when a province lacks it, withheld-marked when one was withheld."""
    expected = len(rows)
    withheld = any(_withheld(r, column) for r in rows.values())
    if column in SHARES:
        numerator, denominator = SHARES[column]
        have = [
            r
            for r in rows.values()
            if _value(r, numerator) is not None and _value(r, denominator) is not None
        ]
        total = sum(_value(r, denominator) for r in have)
        value = sum(_value(r, numerator) for r in have) / total if total else None
        return Figure(value, len(have), expected, withheld)
    have = [_value(r, column) for r in rows.values() if _value(r, column) is not None]
    return Figure(sum(have) if have else None, len(have), expected, withheld)


def headline_period(data: ReportData, column: str) -> str | None:
    """The latest period of the release in which any province reports the figure."""
    for period in sorted(data.periods, key=lambda p: _end(data, p), reverse=True):
        rows = data.scorecard.get(period, {})
        if any(_value(r, column) is not None for r in rows.values()):
            return period
    return None


def _end(data: ReportData, period: str) -> dt.date:
    rows = data.scorecard.get(period) or {}
    first = next(iter(rows.values()), None)
    return dt.date.fromisoformat(first["period_end_date"]) if first else dt.date.min


def cell(row: dict | None, column: str, kind: str) -> str:
    """A province's figure as the report prints it: withheld, not reported, or the number."""
    if row is None:
        return NOT_REPORTED
    value = _value(row, column)
    if value is None:
        return WITHHELD if _withheld(row, column) else NOT_REPORTED
    return fmt(value, kind)


def fmt(value: float | None, kind: str) -> str:
    if value is None:
        return NOT_REPORTED
    if kind == "share":
        return f"{value * 100:.1f}%".replace(".", ",")
    if kind == "million":
        value /= 1e6
    return f"{value:,.0f}".replace(",", ".")


def figure_text(figure: Figure, kind: str) -> str:
    text = fmt(figure.value, kind)
    if figure.value is not None and figure.partial:
        text += f" (một phần / partial {figure.provinces}/{figure.expected})"
    return text


def ranks(rows: dict[str, dict], column: str) -> dict[str, int]:
    """Rank 1 = largest value, equal values share a rank (1, 1, 3); provinces without a published value
    are not ranked."""
    values = {code: v for code, r in rows.items() if (v := _value(r, column)) is not None}
    return {code: 1 + sum(other > v for other in values.values()) for code, v in values.items()}


@dataclass
class Built:
    data: ReportData
    headlines: list[dict]
    province_rows: list[dict]
    compliance_rows: list[dict]
    compliance_types: list[str]
    notes: list[str]
    charts: list[charts.Chart]


def build(data: ReportData) -> Built:
    """Tables, notes and charts from the release's data."""
    labels = data.provinces
    headlines, rows_by_column = [], {}
    for column, vi, en, kind in HEADLINES:
        period = headline_period(data, column)
        data.headline_period[column] = period or ""
        rows = data.scorecard.get(period, {}) if period else {}
        rows_by_column[column] = rows
        figure = national(rows, column) if rows else Figure(None, 0, 34)
        headlines.append({"column": column, "vi": vi, "en": en, "kind": kind,
                          "period": period or NOT_REPORTED, "text": figure_text(figure, kind),
                          "figure": figure})  # fmt: skip
    province_rows = []
    all_ranks = {column: ranks(rows_by_column[column], column) for column, *_ in HEADLINES}
    for code in sorted(labels):
        cells = []
        for column, _, _, kind in HEADLINES:
            rank = all_ranks[column].get(code)
            cells.append({"text": cell(rows_by_column[column].get(code), column, kind), "rank": rank})
        province_rows.append({"code": code, "name": labels[code], "cells": cells})
    # Today's provinces only: before July 2025 codes meant other provinces (15 was Yên Bái), so the
    # periods before the reform stay in the mart (submission_compliance), as the provinces then were.
    pairs = sorted({
        (c["submission_type"], c["period"]) for c in data.compliance
        if c["period"] in data.periods and dt.date.fromisoformat(c["period_end_date"]) >= charts.REFORM
    })  # fmt: skip
    compliance_rows = []
    for code in sorted(labels):
        mine = {(c["submission_type"], c["period"]): c["compliance_status"] for c in data.compliance
                if c["province_code"] == code}  # fmt: skip
        statuses = [COMPLIANCE.get(mine.get(pair, ""), NOT_REPORTED) for pair in pairs]
        compliance_rows.append({"code": code, "name": labels[code], "statuses": statuses})
    types = [f"{kind} {period}" for kind, period in pairs]
    series, titles = {}, {}
    for column, vi, _, _ in HEADLINES:
        points = []
        for period, rows in data.scorecard.items():
            figure = national(rows, column)
            if figure.value is not None:
                points.append((period, _end(data, period), figure.value, figure.partial))
        series[column], titles[column] = points, vi
    made = [charts.trends(series, titles)]
    share_values = {code: _value(r, MAPPED) for code, r in rows_by_column[MAPPED].items()}
    made.append(charts.tile_map(
        f"Tỷ lệ xã phù hợp với trẻ em, {data.headline_period[MAPPED] or ''}\n"
        "Child-friendly communes, share", share_values, labels, share=True,
    ))  # fmt: skip
    for column in RANKED:
        vi, en = next((v, e) for c, v, e, _ in HEADLINES if c == column)
        values = {code: _value(r, column) for code, r in rows_by_column[column].items()}
        made.append(
            charts.ranked_bars(column, f"{vi} / {en}, {data.headline_period[column]}", values, labels)
        )
    return Built(data, headlines, province_rows, compliance_rows, types, notes(data, headlines), made)


def notes(data: ReportData, headlines: list[dict]) -> list[str]:
    """Data-quality notes in both languages."""
    out = [
        f"Số liệu của bản phát hành số {data.release_number} không thay đổi sau khi công bố; "
        "mọi điều chỉnh sẽ xuất hiện như một lần sửa đổi trong bản sau. / "
        f"Release {data.release_number} never changes after publication; any correction appears as a "
        "revision in the next release.",
        f"{WITHHELD}: số từ 1 đến 4 được ẩn để bảo vệ trẻ em (cùng các ô có thể suy ra chúng). / {WITHHELD}: "
        "counts of 1 to 4 are withheld to protect children (with any cell that would reveal them).",
        f"{NOT_REPORTED}: tỉnh không báo cáo số liệu này. / {NOT_REPORTED}: the province did not report it.",
    ]
    partial = [h for h in headlines if h["figure"].value is not None and h["figure"].partial]
    if partial:
        out.append(
            "Số liệu toàn quốc chỉ là một phần (thiếu tỉnh) / National figures that are partial (provinces "
            "missing): "
            + "; ".join(f"{h['en']} {h['figure'].provinces}/{h['figure'].expected}" for h in partial)
        )
    withheld = sum(
        len(r.get("suppressed_columns") or []) for rows in data.scorecard.values() for r in rows.values()
    )
    out.append(f"Số ô bị ẩn trong bảng chỉ số tỉnh / Withheld cells in the provincial scorecard: {withheld}.")
    out.append(
        f"Số chỉ tiêu được sửa đổi so với bản trước / Figures revised against the previous release: "
        f"{data.revisions} (xem / see published.revisions)."
    )
    if data.unsigned:
        out.append(
            "Tệp được công bố khi tỉnh chưa phê duyệt / Files published without the province's sign-off: "
            + ", ".join(data.unsigned[:40])
            + (" …" if len(data.unsigned) > 40 else "")
        )
    return out


def write_report(release_number: int, folder: Path, url: str | None = None) -> list[Path]:
    """bao_cao_<n>.html and bao_cao_<n>.pdf in `folder`; their paths."""
    with transaction(url) as conn:
        data = load(conn, release_number)
    built = build(data)
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / f"bao_cao_phat_hanh_{release_number:03d}.html"
    html_path.write_text(render_html(built), encoding="utf-8")
    pdf_path = folder / f"bao_cao_phat_hanh_{release_number:03d}.pdf"
    render_pdf(built, pdf_path)
    return [html_path, pdf_path]


def _title(data: ReportData) -> tuple[str, str]:
    when = data.published_at.astimezone(settings.zone_info()).strftime("%d/%m/%Y")
    periods = ", ".join(data.periods)
    return (
        f"Báo cáo số liệu trẻ em toàn quốc – Bản phát hành số {data.release_number}",
        f"National child data report – release {data.release_number} · kỳ / periods {periods} · "
        f"công bố / published {when} · phê duyệt / approved by {data.approved_by}",
    )


TEMPLATE = Path(__file__).parent / "templates" / "report.html.j2"


def render_html(built: Built) -> str:
    import jinja2

    title, subtitle = _title(built.data)
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        title=title,
        subtitle=subtitle,
        headlines=built.headlines,
        charts=[{"name": c.name, "svg": _strip_xml_header(c.svg)} for c in built.charts],
        provinces=built.province_rows,
        compliance=built.compliance_rows,
        types=built.compliance_types,
        notes=built.notes,
    )


def _strip_xml_header(svg: str) -> str:
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def _fonts() -> tuple[str, str]:
    """DejaVu Sans from matplotlib's own data, registered once with ReportLab."""
    from pathlib import Path as _Path

    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = _Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def render_pdf(built: Built, path: Path) -> None:
    """A4 PDF: title and headline figures, the tile grid and trends, ranked bars, the province table,
    compliance and notes; page numbers and the release in every footer."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, Spacer, Table, TableStyle

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11)
    small = ParagraphStyle("small", parent=body, fontSize=6.5, leading=8)
    head1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    head2 = ParagraphStyle(
        "h2", parent=body, fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4
    )
    data = built.data
    title, subtitle = _title(data)
    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), regular, 7),
            ("FONT", (0, 0), (-1, 0), bold, 7),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#d1d5db")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f4f6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("REPEATROWS", (0, 0), (-1, 0)),
        ]
    )

    def image(chart: charts.Chart, width: float) -> Image:
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(io.BytesIO(chart.png))
        w, h = reader.getSize()
        return Image(io.BytesIO(chart.png), width=width, height=width * h / w)

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(html.escape(text).replace("\n", "<br/>"), style)

    story = [p(title, head1), p(subtitle), Spacer(1, 4), p(READING, small), Spacer(1, 6)]
    rows = [[p("Chỉ tiêu / Indicator", small), p("Kỳ / Period", small), p("Toàn quốc / National", small)]]
    rows += [
        [p(f"{h['vi']}\n{h['en']}", small), p(h["period"], small), p(h["text"], small)]
        for h in built.headlines
    ]
    table = Table(rows, colWidths=[5.6 * cm, 1.5 * cm, 3.9 * cm])
    table.setStyle(grid)
    by_name = {c.name: c for c in built.charts}
    front = Table(
        [[[p("Số liệu chính toàn quốc / National headline figures", head2), table],
          image(by_name["tile_map"], 5.6 * cm)]],
        colWidths=[11.4 * cm, 6.1 * cm],
    )  # fmt: skip
    front.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(front)
    story += [PageBreak(), p("Xu hướng / Trends", head2), image(by_name["trends"], 17.5 * cm)]
    bars = [image(by_name[f"ranked_{c}"], 8.4 * cm) for c in RANKED]
    story += [PageBreak(), p("Xếp hạng / Rankings", head2), Table([bars[:2]]), Table([bars[2:]])]
    story.append(PageBreak())
    story += _tables(built, p, small, head2, grid)
    story.append(p("Ghi chú về chất lượng số liệu / Data-quality notes", head2))
    story += [p("• " + note) for note in built.notes]
    _build(path, story, data, regular, title)


def _tables(built: Built, p, small, head2, grid) -> list:
    """The province table (figures and ranks) and the compliance table."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import Table

    story = [p("Theo tỉnh, thành phố (thứ hạng trong ngoặc) / By province (rank in brackets)", head2)]
    header = [p("Tỉnh / Province", small)] + [p(f"{h['vi']} ({h['period']})", small) for h in built.headlines]
    right = ParagraphStyle("right", parent=small, alignment=2)
    rows = [header] + [
        [p(f"{r['code']} {r['name']}", small)]
        + [p(c["text"] + (f"\n({c['rank']})" if c["rank"] else ""), right) for c in r["cells"]]
        for r in built.province_rows
    ]
    table = Table(rows, colWidths=[2.9 * cm] + [1.46 * cm] * len(built.headlines), repeatRows=1)
    table.setStyle(grid)
    story.append(table)
    story.append(p("Tình hình nộp báo cáo / Submission compliance", head2))
    rows = [[p("Tỉnh / Province", small)] + [p(t, small) for t in built.compliance_types]]
    rows += [
        [p(f"{r['code']} {r['name']}", small)] + [p(s, small) for s in r["statuses"]]
        for r in built.compliance_rows
    ]
    width = (17.5 * cm - 3.5 * cm) / max(len(built.compliance_types), 1)
    table = Table(rows, colWidths=[3.5 * cm] + [width] * len(built.compliance_types), repeatRows=1)
    table.setStyle(grid)
    story.append(table)
    return story


def _build(path: Path, story: list, data: ReportData, regular: str, title: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawString(
            1.5 * cm, 1 * cm, f"Bản phát hành số {data.release_number} / Release {data.release_number}"
        )
        canvas.drawRightString(A4[0] - 1.5 * cm, 1 * cm, f"Trang / Page {document.page}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.6 * cm,
        title=title,
        author="Cục Bà mẹ và Trẻ em, Bộ Y tế / Department of Maternal and Child Health, Ministry of Health",
        invariant=1,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
