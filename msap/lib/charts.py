"""Server-side SVG charts in DSFR colours, each with its data table.

One code path for pages and PDFs: a view builds a `Chart`, the template includes
"msap/chart.html", which prints the SVG (role="img", titled) and the same figures as a table —
the table is the accessible alternative and what a printed report keeps legible.
"""

from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import mark_safe

# DSFR illustrative colours (blue France first), readable on white.
PALETTE = [
    "#000091",
    "#E4794A",
    "#009081",
    "#A558A0",
    "#C3992A",
    "#417DC4",
    "#CE614A",
    "#68A532",
    "#465F9D",
    "#C08C65",
    "#009099",
    "#AEA397",
]
FONT = "Marianne, arial, sans-serif"


def _fmt(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    return f"{int(value):,}".replace(",", "\u202f")


@dataclass
class Chart:
    title: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    unit: str = ""
    kind: str = "hbar"  # "hbar" (categories) or "columns" (time series)
    ident: str = "chart"
    svg: str = field(init=False, default="")

    def __post_init__(self):
        # Every text interpolated into the markup goes through html.escape.
        self.svg = mark_safe(self._render())  # noqa: S308

    @property
    def total(self) -> float:
        return sum(sum(v) for _, v in self.series)

    @property
    def table_headers(self) -> list[str]:
        return [""] + [name for name, _ in self.series]

    @property
    def table_rows(self) -> list[list[str]]:
        return [
            [label] + [_fmt(values[i]) for _, values in self.series]
            for i, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self) -> bool:
        return not self.labels or self.total == 0

    def _render(self) -> str:
        if self.is_empty:
            return ""
        return self._hbar() if self.kind == "hbar" else self._columns()

    def _frame(self, width: int, height: int, body: str) -> str:
        t = escape(self.title)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-labelledby="{self.ident}-title" font-family="{FONT}" font-size="12">'
            f'<title id="{self.ident}-title">{t}</title>{body}</svg>'
        )

    def _legend(self, y: int, x0: int = 0) -> str:
        if len(self.series) < 2:
            return ""
        out, x = [], x0
        for i, (name, _) in enumerate(self.series):
            out.append(
                f'<rect x="{x}" y="{y}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
            out.append(f'<text x="{x + 16}" y="{y + 10}" fill="#161616">{escape(name)}</text>')
            x += 24 + 7 * len(name)
        return "".join(out)

    def _hbar(self) -> str:
        label_w, bar_w, row_h, n_series = 210, 330, 22, len(self.series)
        group_h = row_h * n_series + 8
        top = 24 if n_series > 1 else 4
        height = top + group_h * len(self.labels) + 4
        peak = max((max(v) for _, v in self.series if v), default=0) or 1
        parts = [self._legend(4)]
        for i, label in enumerate(self.labels):
            y0 = top + i * group_h
            short = label if len(label) <= 32 else label[:31] + "…"
            parts.append(
                f'<text x="{label_w - 8}" y="{y0 + group_h / 2 + 2}" text-anchor="end" fill="#161616">{escape(short)}</text>'
            )
            for s, (_, values) in enumerate(self.series):
                v = values[i]
                w = max(1 if v else 0, round(bar_w * v / peak))
                y = y0 + s * row_h
                color = PALETTE[s % len(PALETTE)]
                parts.append(
                    f'<rect x="{label_w}" y="{y}" width="{w}" height="{row_h - 4}" fill="{color}"/>'
                )
                parts.append(
                    f'<text x="{label_w + w + 6}" y="{y + row_h - 9}" fill="#161616">{_fmt(v)}{escape(self.unit)}</text>'
                )
        return self._frame(label_w + bar_w + 80, height, "".join(parts))

    def _columns(self) -> str:
        n, n_series = len(self.labels), len(self.series)
        left, plot_h, top = 48, 180, 26
        slot = max(18, min(60, 560 // max(n, 1)))
        width = left + slot * n + 10
        height = top + plot_h + 40
        peak = max((max(v) for _, v in self.series if v), default=0) or 1
        parts = [self._legend(4, left)]
        for k in range(5):  # horizontal grid with values
            value = peak * k / 4
            y = top + plot_h - plot_h * k / 4
            parts.append(
                f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#DDDDDD"/>'
            )
            parts.append(
                f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#666666">{_fmt(round(value))}</text>'
            )
        bar = (slot - 6) / n_series
        for i, label in enumerate(self.labels):
            x0 = left + i * slot + 3
            for s, (_, values) in enumerate(self.series):
                v = values[i]
                h = plot_h * v / peak
                parts.append(
                    f'<rect x="{x0 + s * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[s % len(PALETTE)]}"/>'
                )
            parts.append(
                f'<text x="{x0 + (slot - 6) / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#161616">{escape(label)}</text>'
            )
        return self._frame(width, height, "".join(parts))
