"""The 汇总表's charts, drawn with reportlab's own graphics (no plotting library): the number of
forms per 等级 and the distribution of 总得分, as bar charts with their counts on the bars.

Every string uses the PDF's CJK font (axis labels included): reportlab's graphics default to
Helvetica, which would add an unembedded font to the file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

BAR = colors.HexColor("#5B7DB1")
GRADE_BARS = {"优": colors.HexColor("#3C8D5A"), "良": colors.HexColor("#5B7DB1"), "中": colors.HexColor("#D9A441"),
              "差": colors.HexColor("#C0504D")}
LABEL_SIZE = 9
TITLE_SIZE = 11


def _step(top: int) -> int:
    """A whole-number step giving at most about six gridlines."""
    return max(1, math.ceil(top / 6))


def bar_chart(counts: Sequence[tuple[str, int]], title: str, font_name: str, width: float, height: float,
              colours: dict[str, colors.Color] | None = None) -> Drawing:
    """A vertical bar chart of (label, count) with the count above each bar and `title` on top."""
    drawing = Drawing(width, height)
    drawing.initialFontName = font_name  # the renderer's starting font: never Helvetica
    drawing.initialFontSize = LABEL_SIZE
    drawing.add(String(width / 2, height - TITLE_SIZE, title, fontName=font_name, fontSize=TITLE_SIZE,
                       textAnchor="middle"))
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 30
    chart.width, chart.height = width - 50, height - 30 - TITLE_SIZE - 22
    values = [count for _, count in counts]
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = [label for label, _ in counts] or [""]
    chart.categoryAxis.labels.fontName = font_name
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.dy = -4
    top = max(values, default=0)
    step = _step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(step, math.ceil(top * 1.15 / step) * step)
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = font_name
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font_name
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.nudge = 7
    chart.barSpacing = 2
    chart.groupSpacing = 10
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    for index, (label, _) in enumerate(counts):
        if colours and label in colours:
            chart.bars[(0, index)].fillColor = colours[label]
    drawing.add(chart)
    return drawing
