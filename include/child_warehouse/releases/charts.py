"""The national report's charts, drawn with matplotlib (Agg, no display, no download): small multiples
of national trends across the July 2025 reform, ranked bars per province, and a tile grid of the 34
provinces that stands in for a map without map files. Each chart is returned as PNG (for the PDF)
and SVG (for the HTML). A withheld (1-4) or missing value is drawn as a gap, never as a number."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

REFORM = dt.date(2025, 7, 1)
INK, MUTED, ACCENT, PARTIAL = "#1f2937", "#9ca3af", "#0f766e", "#f59e0b"

# Today's 34 provinces on a grid that keeps their places roughly: north at the top, the coast to the
# right, the Mekong delta at the bottom left. (row, column).
TILES = {
    "12": (0, 1), "15": (0, 2), "08": (0, 3), "04": (0, 4),
    "11": (1, 0), "14": (1, 1), "25": (1, 2), "19": (1, 3), "20": (1, 4),
    "01": (2, 2), "24": (2, 3), "22": (2, 4),
    "37": (3, 2), "33": (3, 3), "31": (3, 4),
    "38": (4, 2), "40": (5, 2), "42": (6, 3), "44": (7, 3),
    "46": (8, 3), "48": (8, 4),
    "52": (9, 3), "51": (9, 4),
    "66": (10, 3), "56": (10, 4),
    "80": (11, 1), "75": (11, 2), "68": (11, 3),
    "82": (12, 0), "79": (12, 1),
    "91": (13, 0), "86": (13, 1),
    "92": (14, 0), "96": (15, 0),
}  # fmt: skip


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    png: bytes
    svg: str


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",  # bundled with matplotlib; has every Vietnamese letter
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "child-warehouse",  # the same chart gives the same SVG
            "svg.fonttype": "none",
        }
    )
    return plt


def _save(plt, figure, name: str, title: str) -> Chart:
    png, svg = io.BytesIO(), io.StringIO()
    figure.savefig(png, format="png", dpi=160, bbox_inches="tight", metadata={"Software": None})
    figure.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return Chart(name, title, png.getvalue(), svg.getvalue())


PERIOD_TYPES = {  # the period's kind, from its label, as the legend names it
    "Y": "năm / year",
    "9M": "9 tháng / 9 months",
    "H1": "6 tháng / half year",
    "Q": "quý / quarter",
    "M": "tháng / month",
}
MARKERS = {"Y": "o", "9M": "s", "H1": "D", "Q": "^", "M": "v"}


def period_kind(period: str) -> str:
    part = period.split("-", 1)[1]
    return part if part in ("Y", "9M", "H1") else part[0]


def compact(value: float, _position=None) -> str:
    """An axis label a reader takes in at a glance, Vietnamese style: 32,1 tr; 920 tỷ; 1.500."""
    size = abs(value)
    if size >= 1e9:
        text = f"{value / 1e9:,.1f} tỷ"
    elif size >= 1e6:
        text = f"{value / 1e6:,.1f} tr"
    elif size < 10 and value != int(value):
        text = f"{value:.2f}"
    else:
        text = f"{value:,.0f}"
    return text.replace(",", "§").replace(".", ",").replace("§", ".").replace(",0 ", " ")


def trends(series: dict[str, list[tuple[str, dt.date, float | None, bool]]], titles: dict[str, str]) -> Chart:
    """One small panel per indicator: the national figure per period on today's boundaries, one line per
    kind of period (a year is never joined to nine months: flows over different spans do not compare);
    a partial figure (some provinces missing) is a hollow point, the reform a dashed line."""
    plt = _pyplot()
    from matplotlib import dates, ticker

    names = list(series)
    cols = 3
    rows = max(1, -(-len(names) // cols))
    everything = [d for points in series.values() for _, d, v, _ in points if v is not None]
    start = dt.date(min(everything, default=REFORM).year, 1, 1)
    end = dt.date(max(everything, default=REFORM).year + 1, 1, 1)
    figure, axes = plt.subplots(rows, cols, figsize=(9.5, 2.2 * rows), squeeze=False)
    kinds_seen: set[str] = set()
    for ax, name in zip(axes.flat, names, strict=False):
        ax.set_title(titles[name], fontsize=8, loc="left", color=INK)
        ax.axvline(REFORM, color=MUTED, linestyle="--", linewidth=0.8)
        by_kind: dict[str, list] = {}
        for period, day, value, partial in series[name]:
            if value is not None:
                by_kind.setdefault(period_kind(period), []).append((day, value, partial))
        for kind, points in sorted(by_kind.items()):
            points.sort()
            kinds_seen.add(kind)
            marker = MARKERS.get(kind, "o")
            if len(points) > 1:
                ax.plot([p[0] for p in points], [p[1] for p in points], color=ACCENT, linewidth=1.1)
            for day, value, partial in points:
                face, edge = ("white", PARTIAL) if partial else (ACCENT, ACCENT)
                ax.scatter(
                    [day],
                    [value],
                    marker=marker,
                    s=20,
                    zorder=3,
                    linewidth=1.2,
                    facecolor=face,
                    edgecolor=edge,
                )
        if not by_kind:
            ax.text(0.5, 0.5, "không có số liệu / no data", transform=ax.transAxes, ha="center", color=MUTED)
        ax.set_xlim(start, end)
        ax.xaxis.set_major_locator(dates.YearLocator())
        ax.xaxis.set_major_formatter(dates.DateFormatter("%Y"))
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(compact))
        ax.tick_params(labelsize=6.5)
    for ax in list(axes.flat)[len(names) :]:
        ax.axis("off")
    legend = "; ".join(f"{MARKERS.get(k, 'o').replace('o', '●').replace('s', '■')} {PERIOD_TYPES.get(k, k)}"
                       for k in sorted(kinds_seen))  # fmt: skip
    figure.suptitle(
        "Xu hướng toàn quốc theo địa giới hiện nay (- - - 1/7/2025: sắp xếp tỉnh; điểm rỗng: một phần)\n"
        "National trends on today's boundaries (- - - 1 July 2025 reform; hollow point: partial coverage)\n"
        + legend,
        fontsize=8,
        x=0.01,
        ha="left",
    )
    figure.tight_layout()
    return _save(plt, figure, "trends", "Xu hướng / Trends")


def ranked_bars(name: str, title: str, values: dict[str, float | None], labels: dict[str, str]) -> Chart:
    """Provinces ranked by one indicator, largest first; withheld or missing ones listed apart."""
    plt = _pyplot()
    shown = sorted(((v, code) for code, v in values.items() if v is not None), reverse=True)
    missing = sorted(code for code, v in values.items() if v is None)
    figure, ax = plt.subplots(figsize=(4.6, 0.17 * max(len(shown), 6) + 0.8))
    if not shown:
        ax.text(0.5, 0.5, "không có số liệu công bố / nothing published", transform=ax.transAxes, ha="center",
                color=MUTED)  # fmt: skip
        ax.set_xticks([])
        ax.set_yticks([])
    ax.barh(range(len(shown)), [v for v, _ in shown], color=ACCENT, height=0.7)
    ax.set_yticks(range(len(shown)), [labels.get(code, code) for _, code in shown], fontsize=6.5)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=8, loc="left")
    ax.tick_params(axis="x", labelsize=6.5)
    if missing:
        ax.set_xlabel(
            "Không có hoặc bị ẩn (1–4) / none or withheld: " + ", ".join(missing),
            fontsize=6,
            color=MUTED,
            wrap=True,
        )
    figure.tight_layout()
    return _save(plt, figure, f"ranked_{name}", title)


def _short(name: str) -> str:
    """A tile's label: the name, shortened so it fits (Hồ Chí Minh → TP HCM)."""
    return {"Hồ Chí Minh": "TP HCM"}.get(name, name if len(name) <= 11 else name[:10] + ".")


def tile_map(title: str, values: dict[str, float | None], labels: dict[str, str], *, share: bool) -> Chart:
    """The 34 provinces as tiles, shaded by the indicator; grey where it is withheld or not reported."""
    plt = _pyplot()
    from matplotlib import cm, colors

    known = [v for v in values.values() if v is not None]
    norm = colors.Normalize(vmin=min(known, default=0), vmax=max(known, default=1))
    cmap = cm.get_cmap("YlGnBu") if hasattr(cm, "get_cmap") else plt.get_cmap("YlGnBu")
    figure, ax = plt.subplots(figsize=(4.4, 8.6))
    for code, (row, col) in TILES.items():
        value = values.get(code)
        face = cmap(norm(value)) if value is not None else "#e5e7eb"
        ax.add_patch(plt.Rectangle((col, -row), 0.94, 0.94, facecolor=face, edgecolor="white"))
        text = "–" if value is None else f"{value:.0%}" if share else f"{value:,.0f}".replace(",", ".")
        dark = value is not None and norm(value) > 0.6
        colour = "white" if dark else INK
        ax.text(
            col + 0.47, -row + 0.62, _short(labels.get(code, code)), ha="center", fontsize=4.6, color=colour
        )
        ax.text(col + 0.47, -row + 0.25, text, ha="center", fontsize=6.5, color=colour, weight="bold")
    ax.set_xlim(-0.1, 5.1)
    ax.set_ylim(-15.2, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=8, loc="left")
    return _save(plt, figure, "tile_map", title)
