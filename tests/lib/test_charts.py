"""msap.lib.charts: one SVG per chart, titled for screen readers, with its data table; every text
it draws fits inside the chart (issue 15: labels were cut and the first letter of a category fell
off the left edge)."""

import re
import xml.etree.ElementTree as ET

import pytest

from msap.lib.charts import MAX_LABEL_W, Chart, text_width, wrap

SVG = "{http://www.w3.org/2000/svg}"
# The longest annex 1 labels (msap/partners/rules.py), as the board's "par catégorie" shows them.
LONG = [
    "B1. Facilitation numérique",
    "A. Accueil, information et orientation",
    "B1.2 Aide pour trouver les informations du dossier personnel (situation, paiements, "
    "attestations)",
    "Mutualité sociale agricole",
    "Wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww",
]


def texts(chart: Chart) -> tuple[tuple[float, float], list[tuple[float, float, str]]]:
    """The viewBox's size, and each text's (left, right, content) by its anchor and width."""
    root = ET.fromstring(chart.svg)  # noqa: S314 (our own SVG, not untrusted input)
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    out = []
    for text in root.iter(f"{SVG}text"):
        anchor = text.get("text-anchor", "start")
        pieces = list(text.iter(f"{SVG}tspan")) or [text]
        for piece in pieces:
            content = piece.text or ""
            x, w = float(piece.get("x", text.get("x"))), text_width(content)
            left = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
            out.append((left, left + w, content))
    return (width, height), out


def assert_fits(chart: Chart) -> None:
    (width, _height), spans = texts(chart)
    outside = [c for left, right, c in spans if left < 0 or right > width]
    assert not outside, f"text outside the viewBox (0–{width}): {outside}"


@pytest.mark.parametrize("n_series", [1, 2])
def test_horizontal_bar_labels_fit_inside_the_chart_and_are_never_cut(n_series):
    series = [("1er–10 décembre 2026", [1234, 5, 0, 12, 7])]
    if n_series == 2:
        series.append(("1er–10 novembre 2026", [999, 45, 3, 0, 100]))
    chart = Chart(title="Par catégorie", labels=LONG, series=series)
    assert_fits(chart)
    _size, spans = texts(chart)
    drawn = " ".join(c for _l, _r, c in spans)
    for label in LONG[:4]:  # every word of every label is drawn: wrapped, not cut
        assert all(word in drawn for word in label.split()), label
    assert "…" not in drawn


def test_the_label_column_is_sized_from_the_longest_label():
    short = Chart(title="Par canal", labels=["Guichet", "Téléphone"], series=[("x", [3, 1])])
    longer = Chart(
        title="Par canal", labels=["Guichet", "Visioconférence accompagnée"], series=[("x", [3, 1])]
    )
    bar = lambda c: float(re.search(r'<rect x="([\d.]+)"', c.svg).group(1))  # noqa: E731
    assert bar(short) < bar(longer) <= MAX_LABEL_W + 16
    assert bar(short) >= text_width("Téléphone")


def test_a_label_wider_than_the_column_wraps_at_spaces():
    lines = wrap(LONG[2], 200)
    assert len(lines) > 1 and " ".join(lines) == LONG[2]
    assert all(text_width(line) <= 200 for line in lines)
    assert "".join(wrap(LONG[4], 200)) == LONG[4]  # one long word is cut, not lost


@pytest.mark.parametrize(
    "labels",
    [
        ["lun. 1"],  # a week in progress on its first day: a narrow chart, a wide legend
        [str(d) for d in range(1, 32)],
        [
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ],
    ],
)
def test_column_labels_values_and_legend_fit_inside_the_chart(labels):
    chart = Chart(
        title="Demandes par jour",
        labels=labels,
        series=[
            ("1er–10 décembre 2026", [123456] + [3] * (len(labels) - 1)),
            ("1er–10 novembre 2026", [2] * len(labels)),
        ],
        kind="columns",
    )
    assert_fits(chart)


def test_the_estimate_is_not_narrower_than_a_plain_sans_serif_font():
    # Arial's advance widths at 12 px: "m" 10.0, "W" 11.3, "a" 6.7, "i" 2.7.
    assert text_width("m") >= 10.0 and text_width("W") >= 11.3
    assert text_width("a") >= 6.7 and text_width("i") >= 2.7


def test_a_chart_is_an_svg_image_titled_with_its_figures_as_a_table():
    chart = Chart(
        title="Demandes par catégorie",
        labels=["A", "B1"],
        series=[("mars 2026", [3, 1250]), ("février 2026", [2, 0])],
        ident="c1",
    )
    assert chart.svg.startswith("<svg") and 'role="img"' in chart.svg
    assert '<title id="c1-title">Demandes par catégorie</title>' in chart.svg
    assert chart.table_headers == ["", "mars 2026", "février 2026"]
    assert chart.table_rows == [["A", "3", "2"], ["B1", "1\u202f250", "0"]]
    assert chart.total == 1255 and not chart.is_empty


def test_labels_and_titles_are_escaped():
    chart = Chart(title="<script>", labels=["a & b"], series=[("<s>", [1])], kind="columns")
    assert "<script>" not in chart.svg and "&lt;script&gt;" in chart.svg
    assert "a &amp; b" in chart.svg


def test_a_chart_without_figures_draws_nothing_but_keeps_its_table():
    chart = Chart(title="Vide", labels=["A"], series=[("2026", [0])])
    assert chart.is_empty and chart.svg == ""
    assert chart.table_rows == [["A", "0"]]


def test_decimals_are_written_the_french_way():
    chart = Chart(title="Durée", labels=["A"], series=[("h", [2.5])])
    assert chart.table_rows == [["A", "2,5"]]


def test_a_chart_of_one_day_is_not_drawn_larger_than_a_week_s():
    """The board on the first day of a month: one column, scaled to the page's width, drew its
    text several times too large."""
    day = Chart(title="Demandes par jour", labels=["1"], series=[("x", [3])], kind="columns")
    week = Chart(
        title="Demandes par jour", labels=list("1234567"), series=[("x", [3] * 7)], kind="columns"
    )
    width = lambda c: float(c.svg.split('viewBox="0 0 ')[1].split()[0])  # noqa: E731
    assert width(day) >= width(week)
