"""msap.lib.charts: one SVG per chart, titled for screen readers, with its data table."""

from msap.lib.charts import Chart


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
