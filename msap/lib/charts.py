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
FONT_SIZE = 12
LINE_H = 14  # a wrapped label's line height, at FONT_SIZE
# The widest a category label column grows before its labels wrap (a long annex 1 label).
MAX_LABEL_W = 240
MIN_COLUMNS_W = 480
# Advance widths in em, rounded up from Marianne's and Arial's: the layout is sized from the
# text it draws, so a long label neither loses its end nor pushes its first letter off the left.
_NARROW = set("iljtfrI.,;:!'’|()[] ")
_WIDE = set("mwMWOQGCDHNU%@—–")


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """A pessimistic estimate of `text`'s width in px (no font metrics on the server)."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.36
        elif ch in _WIDE:
            em += 0.96
        elif ch.isupper() or ch.isdigit():
            em += 0.72
        else:
            em += 0.6
    return em * size


def wrap(text: str, width: float) -> list[str]:
    """`text` in lines no wider than `width` px, cut at spaces (a single long word is cut)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word) > width:  # a word wider than the column: cut it
            cut = len(word)
            while cut > 1 and text_width(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


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
            f'role="img" aria-labelledby="{self.ident}-title" font-family="{FONT}" '
            f'font-size="{FONT_SIZE}">'
            f'<title id="{self.ident}-title">{t}</title>{body}</svg>'
        )

    def _legend(self, y: int, x0: int, width: float) -> tuple[str, int]:
        """The series' names from (x0, y), going to a new line before passing `width`;
        returns the markup and the height it takes."""
        if len(self.series) < 2:
            return "", 0
        out, x, line = [], x0, 0
        for i, (name, _) in enumerate(self.series):
            w = 16 + text_width(name)
            if x > x0 and x + w > width:
                x, line = x0, line + 1
            top = y + line * 18
            out.append(
                f'<rect x="{x}" y="{top}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
            )
            out.append(f'<text x="{x + 16}" y="{top + 10}" fill="#161616">{escape(name)}</text>')
            x += w + 12
        return "".join(out), (line + 1) * 18 + 2

    def _legend_width(self) -> float:
        """The widest series name with its swatch: the chart is never narrower."""
        if len(self.series) < 2:
            return 0
        return max(16 + text_width(name) for name, _ in self.series)

    def _hbar(self) -> str:
        bar_w, row_h, n_series = 330, 22, len(self.series)
        # The label column fits the longest label, up to MAX_LABEL_W; longer labels wrap.
        label_w = min(MAX_LABEL_W, max(text_width(label) for label in self.labels)) + 16
        value_w = max(
            text_width(f"{_fmt(v)}{self.unit}") for _, values in self.series for v in values
        )
        width = max(label_w + bar_w + 6 + value_w + 4, self._legend_width())
        legend, top = self._legend(4, 0, width)
        top += 4
        peak = max((max(v) for _, v in self.series if v), default=0) or 1
        parts, y0 = [legend], top
        for i, label in enumerate(self.labels):
            lines = wrap(label, label_w - 16)
            group_h = max(row_h * n_series, LINE_H * len(lines) + 4) + 8
            first = y0 + (group_h - 8) / 2 - LINE_H * (len(lines) - 1) / 2 + 4
            spans = "".join(
                f'<tspan x="{label_w - 8}" y="{first + k * LINE_H:.1f}">{escape(text)}</tspan>'
                for k, text in enumerate(lines)
            )
            parts.append(f'<text text-anchor="end" fill="#161616">{spans}</text>')
            bars_top = y0 + (group_h - 8 - row_h * n_series) / 2
            for s, (_, values) in enumerate(self.series):
                v = values[i]
                w = max(1 if v else 0, round(bar_w * v / peak))
                y = bars_top + s * row_h
                color = PALETTE[s % len(PALETTE)]
                parts.append(
                    f'<rect x="{label_w}" y="{y:.1f}" width="{w}" height="{row_h - 4}" fill="{color}"/>'
                )
                parts.append(
                    f'<text x="{label_w + w + 6}" y="{y + row_h - 9:.1f}" fill="#161616">{_fmt(v)}{escape(self.unit)}</text>'
                )
            y0 += group_h
        return self._frame(round(width), round(y0 + 4), "".join(parts))

    def _columns(self) -> str:
        n, n_series = len(self.labels), len(self.series)
        plot_h, top = 180, 26
        peak = max((max(v) for _, v in self.series if v), default=0) or 1
        left = max(48, round(text_width(_fmt(peak)) + 12))  # the axis's values fit on its left
        # A slot is wide enough for its label, whatever the number of days or months.
        widest = max(text_width(label) for label in self.labels)
        slot = max(18, min(60, 560 // max(n, 1)), round(widest + 6))
        # Never narrower than a week's chart: a chart of one day, scaled to its column, would
        # draw its text several times too large.
        width = max(left + slot * n + 10, left + self._legend_width(), MIN_COLUMNS_W)
        legend, legend_h = self._legend(4, left, width)
        top = max(top, legend_h + 8)
        height = top + plot_h + 40
        parts = [legend]
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
